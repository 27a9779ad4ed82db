; apblob.asm -- apboot.bin (apboot.asm assembled for 7000h) inside the
; kernel, between apboot_start and apboot_end, for main.c to copy.
        global  apboot_start, apboot_end
        section .rodata
apboot_start:
        incbin  "apboot.bin"
apboot_end:
