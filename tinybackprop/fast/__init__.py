"""The fast path: the core's step by faster means (kernels), and a generated step (unroll)."""
