"""Per-view additions to the Content-Security-Policy of `settings.CONTENT_SECURITY_POLICY`."""

from __future__ import annotations

from csp.constants import WASM_UNSAFE_EVAL
from csp.decorators import csp_update

# The scanner pages decode QR codes with ZXing compiled to WebAssembly (static/vendor/) where the
# browser has no BarcodeDetector of its own. Compiling WebAssembly needs 'wasm-unsafe-eval'; it allows
# no JavaScript eval(), and only these pages get it.
wasm_qr_decoder = csp_update({"script-src": [WASM_UNSAFE_EVAL]})
