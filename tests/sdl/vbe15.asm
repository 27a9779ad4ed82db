; vbe15.asm -- VBE 800x600 at 15 bits per pixel (vbe.inc says what is drawn).
; Run: x86lab --load vbe15.bin@0x7c00 --entry32 0x7c00 -display sdl
%define XRES 800
%define YRES 600
%define BPP 15
%include "vbe.inc"
