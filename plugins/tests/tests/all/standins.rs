//! The stand-ins the runtime registers for official plug-ins that are not installed.
