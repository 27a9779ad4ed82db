; vbe32.asm -- VBE 1024x768 at 32 bits per pixel (vbe.inc says what is drawn).
; Run: x86lab --load vbe32.bin@0x7c00 --entry32 0x7c00 -display sdl
%define XRES 1024
%define YRES 768
%define BPP 32
%include "vbe.inc"
