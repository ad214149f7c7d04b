//! Version, logging, strings, bytes and results (`wasmedge_basic.h`).
