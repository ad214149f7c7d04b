/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/enum_errcode.h -- Wedge's WasmEdge-compatible C API: error codes.
 *
 * A `WasmEdge_Result` packs a category and a code: `Code = Category << 24 |
 * (code & 0xFFFFFF)`. For the `WASM` category the code is one of the
 * `WasmEdge_ErrCode` values below; bits 8..11 of such a code name the phase
 * that failed (0 common, 1 loading, 2 validation, 3 instantiation,
 * 4 execution), and codes at 0xA0 and above within a phase belong to the
 * component model.
 *
 * Values are WasmEdge 0.17.1's. The few marked "after 0.17.1" were added by
 * later WasmEdge releases in previously unused slots; they are declared so
 * that programs can name every code the runtime may report.
 */

#ifndef WASMEDGE_C_API_ENUM_ERRCODE_H
#define WASMEDGE_C_API_ENUM_ERRCODE_H

/* Who defined the code in a `WasmEdge_Result`. */
enum WasmEdge_ErrCategory {
  WasmEdge_ErrCategory_WASM = 0x00,          /* the runtime: a WasmEdge_ErrCode */
  WasmEdge_ErrCategory_UserLevelError = 0x01 /* a host function's own code */
};

/* Codes of the `WASM` category. */
enum WasmEdge_ErrCode {
  /* 0x0000.. Common: workflow, engine and host-side outcomes. */
  WasmEdge_ErrCode_Success = 0x0000,
  WasmEdge_ErrCode_Terminated = 0x0001,
  WasmEdge_ErrCode_RuntimeError = 0x0002,
  WasmEdge_ErrCode_CostLimitExceeded = 0x0003,
  WasmEdge_ErrCode_WrongVMWorkflow = 0x0004,
  WasmEdge_ErrCode_FuncNotFound = 0x0005,
  WasmEdge_ErrCode_AOTDisabled = 0x0006,
  WasmEdge_ErrCode_Interrupted = 0x0007,
  WasmEdge_ErrCode_NotValidated = 0x0008,
  WasmEdge_ErrCode_NonNullRequired = 0x0009,
  WasmEdge_ErrCode_SetValueToConst = 0x000A,
  WasmEdge_ErrCode_SetValueErrorType = 0x000B,
  WasmEdge_ErrCode_UserDefError = 0x000C,
  WasmEdge_ErrCode_InvalidAOTConfigure = 0x000D,
  WasmEdge_ErrCode_AOTNotImpl = 0x000E,
  WasmEdge_ErrCode_LazyCompilationError = 0x000F, /* after 0.17.1 */

  /* 0x0100.. Loading: decoding the binary format. */
  WasmEdge_ErrCode_IllegalPath = 0x0100,
  WasmEdge_ErrCode_ReadError = 0x0101,
  WasmEdge_ErrCode_UnexpectedEnd = 0x0102,
  WasmEdge_ErrCode_MalformedMagic = 0x0103,
  WasmEdge_ErrCode_MalformedVersion = 0x0104,
  WasmEdge_ErrCode_MalformedSection = 0x0105,
  WasmEdge_ErrCode_SectionSizeMismatch = 0x0106,
  WasmEdge_ErrCode_LengthOutOfBounds = 0x0107,
  WasmEdge_ErrCode_JunkSection = 0x0108,
  WasmEdge_ErrCode_IncompatibleFuncCode = 0x0109,
  WasmEdge_ErrCode_IncompatibleDataCount = 0x010A,
  WasmEdge_ErrCode_DataCountRequired = 0x010B,
  WasmEdge_ErrCode_MalformedImportKind = 0x010C,
  WasmEdge_ErrCode_MalformedExportKind = 0x010D,
  WasmEdge_ErrCode_ExpectedZeroByte = 0x010E,
  WasmEdge_ErrCode_InvalidMut = 0x010F,
  WasmEdge_ErrCode_TooManyLocals = 0x0110,
  WasmEdge_ErrCode_MalformedValType = 0x0111,
  WasmEdge_ErrCode_MalformedElemType = 0x0112,
  WasmEdge_ErrCode_MalformedRefType = 0x0113,
  WasmEdge_ErrCode_MalformedUTF8 = 0x0114,
  WasmEdge_ErrCode_IntegerTooLarge = 0x0115,
  WasmEdge_ErrCode_IntegerTooLong = 0x0116,
  WasmEdge_ErrCode_IllegalOpCode = 0x0117,
  WasmEdge_ErrCode_ENDCodeExpected = 0x0118,
  WasmEdge_ErrCode_IllegalGrammar = 0x0119,
  WasmEdge_ErrCode_IntrinsicsTableNotFound = 0x011A,
  WasmEdge_ErrCode_MalformedTable = 0x011B,
  WasmEdge_ErrCode_MalformedMemoryOpFlags = 0x011C,
  WasmEdge_ErrCode_MalformedLimitFlags = 0x011D,
  WasmEdge_ErrCode_MalformedCatchFlags = 0x011E,
  WasmEdge_ErrCode_MalformedCastFlags = 0x011F, /* after 0.17.1 */

  /* 0x01A0.. Loading: component-model binaries. */
  WasmEdge_ErrCode_MalformedSort = 0x01A0,
  WasmEdge_ErrCode_MalformedAliasTarget = 0x01A1,
  WasmEdge_ErrCode_MalformedCoreInstance = 0x01A2,
  WasmEdge_ErrCode_MalformedInstance = 0x01A3,
  WasmEdge_ErrCode_MalformedDefType = 0x01A4,
  WasmEdge_ErrCode_MalformedModuleType = 0x01A5,
  WasmEdge_ErrCode_MalformedRecordType = 0x01A6,
  WasmEdge_ErrCode_MalformedVariantType = 0x01A7,
  WasmEdge_ErrCode_MalformedTupleType = 0x01A8,
  WasmEdge_ErrCode_MalformedFlagsType = 0x01A9,
  WasmEdge_ErrCode_MalformedCanonical = 0x01AA,
  WasmEdge_ErrCode_UnknownCanonicalOption = 0x01AB,
  WasmEdge_ErrCode_MalformedName = 0x01AC,
  WasmEdge_ErrCode_ComponentNotImplLoader = 0x01AD,
  WasmEdge_ErrCode_ComponentNestLevelExceeded = 0x01AE, /* after 0.17.1 */

  /* 0x0200.. Validation. */
  WasmEdge_ErrCode_InvalidAlignment = 0x0200,
  WasmEdge_ErrCode_AlignmentTooLarge = 0x0201,
  WasmEdge_ErrCode_TypeCheckFailed = 0x0202,
  WasmEdge_ErrCode_InvalidLabelIdx = 0x0203,
  WasmEdge_ErrCode_InvalidLocalIdx = 0x0204,
  WasmEdge_ErrCode_InvalidFieldIdx = 0x0205,
  WasmEdge_ErrCode_InvalidFuncTypeIdx = 0x0206,
  WasmEdge_ErrCode_InvalidFuncIdx = 0x0207,
  WasmEdge_ErrCode_InvalidTableIdx = 0x0208,
  WasmEdge_ErrCode_InvalidMemoryIdx = 0x0209,
  WasmEdge_ErrCode_InvalidGlobalIdx = 0x020A,
  WasmEdge_ErrCode_InvalidTagIdx = 0x020B,
  WasmEdge_ErrCode_InvalidElemIdx = 0x020C,
  WasmEdge_ErrCode_InvalidDataIdx = 0x020D,
  WasmEdge_ErrCode_InvalidRefIdx = 0x020E,
  WasmEdge_ErrCode_ConstExprRequired = 0x020F,
  WasmEdge_ErrCode_DupExportName = 0x0210,
  WasmEdge_ErrCode_ImmutableGlobal = 0x0211,
  WasmEdge_ErrCode_ImmutableField = 0x0212,
  WasmEdge_ErrCode_ImmutableArray = 0x0213,
  WasmEdge_ErrCode_InvalidResultArity = 0x0214,
  WasmEdge_ErrCode_MultiTables = 0x0215,
  WasmEdge_ErrCode_MultiMemories = 0x0216,
  WasmEdge_ErrCode_InvalidLimit = 0x0217,
  WasmEdge_ErrCode_InvalidMemPages = 0x0218,
  WasmEdge_ErrCode_InvalidStartFunc = 0x0219,
  WasmEdge_ErrCode_InvalidLaneIdx = 0x021A,
  WasmEdge_ErrCode_InvalidUninitLocal = 0x021B,
  WasmEdge_ErrCode_InvalidNotDefaultableField = 0x021C,
  WasmEdge_ErrCode_InvalidNotDefaultableArray = 0x021D,
  WasmEdge_ErrCode_InvalidPackedField = 0x021E,
  WasmEdge_ErrCode_InvalidPackedArray = 0x021F,
  WasmEdge_ErrCode_InvalidUnpackedField = 0x0220,
  WasmEdge_ErrCode_InvalidUnpackedArray = 0x0221,
  WasmEdge_ErrCode_InvalidBrRefType = 0x0222,
  WasmEdge_ErrCode_ArrayTypesMismatch = 0x0223,
  WasmEdge_ErrCode_ArrayTypesNumtypeRequired = 0x0224,
  WasmEdge_ErrCode_InvalidSubType = 0x0225,
  WasmEdge_ErrCode_InvalidTagResultType = 0x0226,
  WasmEdge_ErrCode_SharedMemoryNoMax = 0x0227,
  WasmEdge_ErrCode_InvalidMemPages64 = 0x0228,
  WasmEdge_ErrCode_InvalidTableSize64 = 0x0229,
  WasmEdge_ErrCode_InvalidOffset = 0x022A,

  /* 0x02A0.. Validation: components. */
  WasmEdge_ErrCode_MissingArgument = 0x02A0,
  WasmEdge_ErrCode_ArgTypeMismatch = 0x02A1,
  WasmEdge_ErrCode_InvalidIndex = 0x02A2,
  WasmEdge_ErrCode_InvalidTypeReference = 0x02A3,
  WasmEdge_ErrCode_ExportNotFound = 0x02A4,
  WasmEdge_ErrCode_ComponentNotImplValidator = 0x02A5,
  WasmEdge_ErrCode_ComponentDuplicateName = 0x02A6,
  WasmEdge_ErrCode_ComponentInvalidName = 0x02A7,
  WasmEdge_ErrCode_NotADefinedType = 0x02A8,
  WasmEdge_ErrCode_DefTypeIndexOutOfBounds = 0x02A9,
  WasmEdge_ErrCode_NameCannotBeEmpty = 0x02AA,
  WasmEdge_ErrCode_CannotHaveMoreThan32Flags = 0x02AB,
  WasmEdge_ErrCode_RecordFieldNameConflicts = 0x02AC,
  WasmEdge_ErrCode_VariantCaseNameConflicts = 0x02AD,
  WasmEdge_ErrCode_FlagNameConflicts = 0x02AE,
  WasmEdge_ErrCode_EnumTagNameConflicts = 0x02AF,
  WasmEdge_ErrCode_VariantMustHaveCase = 0x02B0,
  WasmEdge_ErrCode_ExportAscriptionIncompatible = 0x02B1,
  WasmEdge_ErrCode_InstanceMissingExpectedExport = 0x02B2,
  WasmEdge_ErrCode_InvalidExportName = 0x02B3,
  WasmEdge_ErrCode_InvalidExternName = 0x02B4,
  WasmEdge_ErrCode_UnknownCoreTag = 0x02B5, /* after 0.17.1 */

  /* 0x0300.. Instantiation. */
  WasmEdge_ErrCode_ModuleNameConflict = 0x0300,
  WasmEdge_ErrCode_IncompatibleImportType = 0x0301,
  WasmEdge_ErrCode_UnknownImport = 0x0302,
  WasmEdge_ErrCode_DataSegDoesNotFit = 0x0303,
  WasmEdge_ErrCode_ElemSegDoesNotFit = 0x0304,

  /* 0x03A0.. Instantiation: components. */
  WasmEdge_ErrCode_InvalidCoreSort = 0x03A0,
  WasmEdge_ErrCode_InvalidCanonOption = 0x03A1,
  WasmEdge_ErrCode_CoreInvalidExport = 0x03A2,
  WasmEdge_ErrCode_ResourceDropArgument = 0x03A3,
  WasmEdge_ErrCode_ComponentNotImplInstantiate = 0x03A4,

  /* 0x0400.. Execution: traps and run-time failures. */
  WasmEdge_ErrCode_WrongInstanceAddress = 0x0400,
  WasmEdge_ErrCode_WrongInstanceIndex = 0x0401,
  WasmEdge_ErrCode_InstrTypeMismatch = 0x0402,
  WasmEdge_ErrCode_FuncSigMismatch = 0x0403,
  WasmEdge_ErrCode_DivideByZero = 0x0404,
  WasmEdge_ErrCode_IntegerOverflow = 0x0405,
  WasmEdge_ErrCode_InvalidConvToInt = 0x0406,
  WasmEdge_ErrCode_TableOutOfBounds = 0x0407,
  WasmEdge_ErrCode_MemoryOutOfBounds = 0x0408,
  WasmEdge_ErrCode_ArrayOutOfBounds = 0x0409,
  WasmEdge_ErrCode_Unreachable = 0x040A,
  WasmEdge_ErrCode_UninitializedElement = 0x040B,
  WasmEdge_ErrCode_UndefinedElement = 0x040C,
  WasmEdge_ErrCode_IndirectCallTypeMismatch = 0x040D,
  WasmEdge_ErrCode_HostFuncError = 0x040E,
  WasmEdge_ErrCode_RefTypeMismatch = 0x040F,
  WasmEdge_ErrCode_UnalignedAtomicAccess = 0x0410,
  WasmEdge_ErrCode_ExpectSharedMemory = 0x0411,
  WasmEdge_ErrCode_CastNullToNonNull = 0x0412,
  WasmEdge_ErrCode_AccessNullFunc = 0x0413,
  WasmEdge_ErrCode_AccessNullStruct = 0x0414,
  WasmEdge_ErrCode_AccessNullArray = 0x0415,
  WasmEdge_ErrCode_AccessNullI31 = 0x0416,
  WasmEdge_ErrCode_AccessNullException = 0x0417,
  WasmEdge_ErrCode_CastFailed = 0x0418,
  WasmEdge_ErrCode_UncaughtException = 0x0419,
  WasmEdge_ErrCode_PendingException = 0x041A /* after 0.17.1 */
};

#endif /* WASMEDGE_C_API_ENUM_ERRCODE_H */
