"""Bridges to other tools: export a network to PyTorch, npz, safetensors and ONNX, and import weights back.

Plain NumPy: files are written and read here without torch; the ONNX modules import `onnx` (the optional
extra `onnx`) only when called.
"""
