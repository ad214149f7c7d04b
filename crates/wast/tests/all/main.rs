//! Integration tests of `wedge-wast`: the runner's own behaviour on small scripts
//! (`runner`), and the official WebAssembly spec test suites run on Wedge (`spec`).

mod runner;
mod spec;
