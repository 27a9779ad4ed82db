; hypercall.asm -- the paravirtual disk path (docs/hypercall.md).  x86lab
; has a port, 520h, that does a disk transfer in one step when it is
; given the address of a parameter block; POST looks for it (a read
; returns "X86L"), and INT 13h then moves sectors through it instead of
; programming the floppy controller, the IDE registers or the ATAPI
; packet protocol.  Only transfers that cannot fail take this path: the
; BIOS checks everything it checks anyway first, and any status but 0
; from the port sends the request down the hardware path, which gives
; the error a real PC gives.  So the guest sees the same bytes and the
; same answers with x86lab --no-hypercalls, only more slowly.

HC_PORT         equ     0x520
HC_SIGNATURE    equ     0x4C363858      ; "X86L"
EBDA_HC         equ     0x7C            ; EBDA (byte): 1 when the port answered
HC_BLOCK        equ     0x3E0           ; EBDA: the 32-byte parameter block
HC_CALL         equ     0               ; dword: the call
HC_STATUS       equ     4               ; dword: 0 = done
HC_DRIVE        equ     8               ; dword: the drive as numbered at POST
HC_LBA          equ     12              ; qword: first 512-byte sector
HC_COUNT        equ     20              ; dword: sectors (done, on return)
HC_BUFFER       equ     24              ; dword: the buffer's physical address
HC_DISK_READ    equ     1
HC_DISK_WRITE   equ     2

; hc_detect (POST): is the port there?  FS = EBDA.
hc_detect:
        mov     dx, HC_PORT
        in      eax, dx                         ; (no device: all ones)
        cmp     eax, HC_SIGNATURE
        sete    al
        mov     [fs:EBDA_HC], al
        ret

; hc_disk: call AL (HC_DISK_READ/WRITE) for drive DL, the sectors at
; [fs:HC_BLOCK + HC_LBA] and HC_COUNT set by the caller, the buffer at
; ES:DI.  CF=0 when the port did it all; CF=1 when there is no port or
; it refused (the caller then uses the hardware).  FS = EBDA.  Preserves
; all registers.
hc_disk:
        cmp     byte [fs:EBDA_HC], 0
        je      .refused
        push    eax
        push    edx
        movzx   eax, al
        mov     [fs:HC_BLOCK + HC_CALL], eax
        movzx   eax, dl
        mov     [fs:HC_BLOCK + HC_DRIVE], eax
        mov     ax, es                          ; ES:DI as a physical address
        movzx   eax, ax
        shl     eax, 4
        movzx   edx, di
        add     eax, edx
        mov     [fs:HC_BLOCK + HC_BUFFER], eax
        mov     dword [fs:HC_BLOCK + HC_STATUS], 0xFFFFFFFF
        mov     ax, fs                          ; the block's physical address
        movzx   eax, ax
        shl     eax, 4
        add     eax, HC_BLOCK
        mov     dx, HC_PORT
        out     dx, eax                         ; the call is done here
        cmp     dword [fs:HC_BLOCK + HC_STATUS], 0
        pop     edx
        pop     eax
        jne     .refused
        clc
        ret
.refused:
        stc
        ret

; hc_set_range: the request's sectors: EAX = first (high dword 0), ECX =
; count.  FS = EBDA.
hc_set_range:
        mov     [fs:HC_BLOCK + HC_LBA], eax
        mov     dword [fs:HC_BLOCK + HC_LBA + 4], 0
        mov     [fs:HC_BLOCK + HC_COUNT], ecx
        ret

; ---- the three users ----
; ata_hypercall (ata_transfer): RQ_KIND (read or write) of RQ_COUNT
; sectors at RQ_LBA of drive FS:BX, ES:DI.  CF=0: done (RQ_DONE set).
ata_hypercall:
        cmp     byte [fs:RQ_KIND], RQ_VERIFY    ; nothing to move: the disk checks
        je      .refused
        push    eax
        push    dx
        mov     eax, [fs:RQ_LBA]
        mov     [fs:HC_BLOCK + HC_LBA], eax
        mov     eax, [fs:RQ_LBA + 4]
        mov     [fs:HC_BLOCK + HC_LBA + 4], eax
        movzx   eax, word [fs:RQ_COUNT]
        mov     [fs:HC_BLOCK + HC_COUNT], eax
        mov     al, [fs:RQ_KIND]
        add     al, HC_DISK_READ                ; RQ_READ 0 -> 1, RQ_WRITE 1 -> 2
        mov     dl, [fs:bx + HD_HCDRIVE]
        call    hc_disk
        jc      .done
        mov     ax, [fs:RQ_COUNT]
        mov     [fs:RQ_DONE], ax
.done:  pop     dx
        pop     eax
        ret
.refused:
        stc
        ret

; cd_hypercall (cd_read_blocks): RQ_COUNT 2048-byte blocks at RQ_LBA of
; CD-ROM FS:BX into ES:DI (four sectors each).  CF=0: done, RQ_DONE set
; and ES moved past the data as the ATAPI path leaves it.
cd_hypercall:
        pushad
        mov     eax, [fs:RQ_LBA]
        mov     edx, eax
        shl     eax, 2
        shr     edx, 30
        mov     [fs:HC_BLOCK + HC_LBA], eax
        mov     [fs:HC_BLOCK + HC_LBA + 4], edx
        movzx   ecx, word [fs:RQ_COUNT]
        shl     ecx, 2
        mov     [fs:HC_BLOCK + HC_COUNT], ecx
        mov     al, HC_DISK_READ
        mov     dl, [fs:bx + HD_HCDRIVE]
        call    hc_disk
        popad
        jc      .done
        push    ax
        mov     ax, [fs:RQ_COUNT]
        mov     [fs:RQ_DONE], ax
        shl     ax, 7                           ; blocks -> paragraphs
        push    cx
        mov     cx, es
        add     cx, ax
        mov     es, cx
        pop     cx
        pop     ax
        clc
.done:  ret

; cdemu_hypercall (cdemu_read): CX sectors from sector EAX of the emulated
; image into ES:DI.  CF=0: done.  FS = EBDA.
cdemu_hypercall:
        pushad
        movzx   ecx, cx
        mov     edx, [fs:CDEMU_LBA]             ; the image's first sector
        shl     edx, 2
        add     eax, edx
        call    hc_set_range
        movzx   bx, byte [fs:CDEMU_CD]
        shl     bx, 5
        mov     dl, [fs:EBDA_CD_TABLE + bx + HD_HCDRIVE]
        mov     al, HC_DISK_READ
        call    hc_disk
        popad
        ret

; fd_hypercall (fd_transfer, after the medium is known and the head is
; on the cylinder): a read or write (DMA mode BL) of [bp+R_AL] sectors at
; CH, DH, CL of drive DL into ES:BX of the caller.  Only a request the
; controller would do whole: sectors that exist, not past the end of the
; cylinder (a multi-track command stops there).  CF=0: done.
fd_hypercall:
        pushad
        cmp     bl, DMA_VERIFY
        je      .refused
        call    fd_media                        ; SI: the medium's spt, cylinders
        movzx   ax, byte [cs:si + FM_SPT]
        and     cx, 0xFF3F                      ; CH cylinder, CL sector
        cmp     cl, al
        ja      .refused
        cmp     ch, [cs:si + FM_CYLS]
        jae     .refused
        mov     bl, 2                           ; sectors left in the cylinder:
        sub     bl, dh                          ; (2 - head) * spt - (sector - 1)
        mul     bl
        movzx   bx, cl
        dec     bx
        sub     ax, bx
        movzx   bx, byte [bp+R_AL]
        cmp     bx, ax
        ja      .refused
        movzx   ax, ch                          ; LBA = (C * 2 + H) * spt + R - 1
        shl     ax, 1
        movzx   bx, dh
        add     ax, bx
        movzx   bx, byte [cs:si + FM_SPT]
        push    dx
        mul     bx
        pop     dx
        movzx   bx, cl
        add     ax, bx
        dec     ax
        movzx   eax, ax
        movzx   ecx, byte [bp+R_AL]
        push    es
        push    fs
        mov     fs, [BDA_EBDA]
        call    hc_set_range
        mov     es, [bp+R_ES]
        mov     di, [bp+R_BX]
        mov     al, HC_DISK_WRITE
        cmp     byte [bp+R_AH], 0x03
        je      .call
        mov     al, HC_DISK_READ
.call:  call    hc_disk
        pop     fs
        pop     es
        popad
        ret
.refused:
        popad
        stc
        ret
