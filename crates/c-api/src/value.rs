//! Value types and values (`wasmedge_value.h`).
