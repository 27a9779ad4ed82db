; vbe8.asm -- VBE 640x480 at 8 bits per pixel (vbe.inc says what is drawn).
; Run: x86lab --load vbe8.bin@0x7c00 --entry32 0x7c00 -display sdl
%define XRES 640
%define YRES 480
%define BPP 8
%include "vbe.inc"
