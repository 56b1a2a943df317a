"""The window's teaching views: narration under the canvas, the Matrix dock and Quiz mode, wired together."""
