/* SPDX-License-Identifier: Apache-2.0 */
/*
 * wasmedge/enum_types.h -- Wedge's WasmEdge-compatible C API: type-related
 * enumerations.
 *
 * Type codes are the bytes of the WebAssembly binary format (a negative
 * signed LEB128 number read as one unsigned byte). They appear inside a
 * `WasmEdge_ValType` (see wasmedge_value.h).
 */

#ifndef WASMEDGE_C_API_ENUM_TYPES_H
#define WASMEDGE_C_API_ENUM_TYPES_H

/* Core WebAssembly type codes. */
enum WasmEdge_TypeCode {
  WasmEdge_TypeCode_TypeIndex = 0x00, /* heap type given by a type index */
  /* number and vector types */
  WasmEdge_TypeCode_I32 = 0x7F,
  WasmEdge_TypeCode_I64 = 0x7E,
  WasmEdge_TypeCode_F32 = 0x7D,
  WasmEdge_TypeCode_F64 = 0x7C,
  WasmEdge_TypeCode_V128 = 0x7B,
  /* packed storage types (struct and array fields) */
  WasmEdge_TypeCode_I8 = 0x78,
  WasmEdge_TypeCode_I16 = 0x77,
  /* abstract heap types */
  WasmEdge_TypeCode_NullExnRef = 0x74,
  WasmEdge_TypeCode_NullFuncRef = 0x73,
  WasmEdge_TypeCode_NullExternRef = 0x72,
  WasmEdge_TypeCode_NullRef = 0x71,
  WasmEdge_TypeCode_FuncRef = 0x70,
  WasmEdge_TypeCode_ExternRef = 0x6F,
  WasmEdge_TypeCode_AnyRef = 0x6E,
  WasmEdge_TypeCode_EqRef = 0x6D,
  WasmEdge_TypeCode_I31Ref = 0x6C,
  WasmEdge_TypeCode_StructRef = 0x6B,
  WasmEdge_TypeCode_ArrayRef = 0x6A,
  WasmEdge_TypeCode_ExnRef = 0x69,
  /* reference type constructors: (ref ht) and (ref null ht) */
  WasmEdge_TypeCode_Ref = 0x64,
  WasmEdge_TypeCode_RefNull = 0x63,
  /* composite, sub and recursive type forms */
  WasmEdge_TypeCode_Func = 0x60,
  WasmEdge_TypeCode_Struct = 0x5F,
  WasmEdge_TypeCode_Array = 0x5E,
  WasmEdge_TypeCode_Sub = 0x50,
  WasmEdge_TypeCode_SubFinal = 0x4F,
  WasmEdge_TypeCode_Rec = 0x4E,
  /* the empty block type */
  WasmEdge_TypeCode_Epsilon = 0x40
};

/* Whether a global (or a GC field) may be written. */
enum WasmEdge_Mutability {
  WasmEdge_Mutability_Const = 0x00,
  WasmEdge_Mutability_Var = 0x01
};

/* The kind of an import or export. */
enum WasmEdge_ExternalType {
  WasmEdge_ExternalType_Function = 0x00U,
  WasmEdge_ExternalType_Table = 0x01U,
  WasmEdge_ExternalType_Memory = 0x02U,
  WasmEdge_ExternalType_Global = 0x03U,
  WasmEdge_ExternalType_Tag = 0x04U
};

/* Component-model value type codes. */
enum WasmEdge_ComponentTypeCode {
  WasmEdge_ComponentTypeCode_TypeIndex = 0x00,
  /* primitive value types */
  WasmEdge_ComponentTypeCode_Bool = 0x7F,
  WasmEdge_ComponentTypeCode_S8 = 0x7E,
  WasmEdge_ComponentTypeCode_U8 = 0x7D,
  WasmEdge_ComponentTypeCode_S16 = 0x7C,
  WasmEdge_ComponentTypeCode_U16 = 0x7B,
  WasmEdge_ComponentTypeCode_S32 = 0x7A,
  WasmEdge_ComponentTypeCode_U32 = 0x79,
  WasmEdge_ComponentTypeCode_S64 = 0x78,
  WasmEdge_ComponentTypeCode_U64 = 0x77,
  WasmEdge_ComponentTypeCode_F32 = 0x76,
  WasmEdge_ComponentTypeCode_F64 = 0x75,
  WasmEdge_ComponentTypeCode_Char = 0x74,
  WasmEdge_ComponentTypeCode_String = 0x73,
  /* defined value types */
  WasmEdge_ComponentTypeCode_Record = 0x72,
  WasmEdge_ComponentTypeCode_Variant = 0x71,
  WasmEdge_ComponentTypeCode_List = 0x70,
  WasmEdge_ComponentTypeCode_Tuple = 0x6F,
  WasmEdge_ComponentTypeCode_Flags = 0x6E,
  WasmEdge_ComponentTypeCode_Enum = 0x6D,
  WasmEdge_ComponentTypeCode_Option = 0x6B,
  WasmEdge_ComponentTypeCode_Result = 0x6A,
  WasmEdge_ComponentTypeCode_Own = 0x69,
  WasmEdge_ComponentTypeCode_Borrow = 0x68,
  WasmEdge_ComponentTypeCode_ListLen = 0x67, /* list with a fixed length */
  WasmEdge_ComponentTypeCode_Stream = 0x66,
  WasmEdge_ComponentTypeCode_Future = 0x65,
  WasmEdge_ComponentTypeCode_ErrContext = 0x64
};

#endif /* WASMEDGE_C_API_ENUM_TYPES_H */
