; vbe16.asm -- VBE 640x400 at 16 bits per pixel (vbe.inc says what is drawn).
; Run: x86lab --load vbe16.bin@0x7c00 --entry32 0x7c00 -display sdl
%define XRES 640
%define YRES 400
%define BPP 16
%include "vbe.inc"
