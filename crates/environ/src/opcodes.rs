//! WasmEdge's opcode ordinals: the numbering of its cost tables, which the interpreter and the
//! compiled tier both charge by.
//!
//! Since WasmEdge 0.14 a cost table is indexed by an operator's position in the `UseOpCode` list
//! of WasmEdge's `include/common/enum.inc` (not by its binary encoding): `unreachable` is 0,
//! `nop` 1, ... The list below is that numbering (566 operators at 0.16, 0.17 and HEAD), written
//! as each operator's text name and binary encoding, so an operator read from a function body
//! finds its ordinal from its encoding.

/// Every operator WasmEdge numbers, in order: (text name, prefix byte or 0, opcode or
/// sub-opcode). An operator's index here is its cost-table index.
pub const OPCODES: [(&str, u8, u32); 566] = [
    ("unreachable", 0, 0x00),                           // 0
    ("nop", 0, 0x01),                                   // 1
    ("block", 0, 0x02),                                 // 2
    ("loop", 0, 0x03),                                  // 3
    ("if", 0, 0x04),                                    // 4
    ("else", 0, 0x05),                                  // 5
    ("throw", 0, 0x08),                                 // 6
    ("throw_ref", 0, 0x0A),                             // 7
    ("end", 0, 0x0B),                                   // 8
    ("br", 0, 0x0C),                                    // 9
    ("br_if", 0, 0x0D),                                 // 10
    ("br_table", 0, 0x0E),                              // 11
    ("return", 0, 0x0F),                                // 12
    ("call", 0, 0x10),                                  // 13
    ("call_indirect", 0, 0x11),                         // 14
    ("return_call", 0, 0x12),                           // 15
    ("return_call_indirect", 0, 0x13),                  // 16
    ("call_ref", 0, 0x14),                              // 17
    ("return_call_ref", 0, 0x15),                       // 18
    ("drop", 0, 0x1A),                                  // 19
    ("select", 0, 0x1B),                                // 20
    ("select", 0, 0x1C),                                // 21
    ("try_table", 0, 0x1F),                             // 22
    ("local.get", 0, 0x20),                             // 23
    ("local.set", 0, 0x21),                             // 24
    ("local.tee", 0, 0x22),                             // 25
    ("global.get", 0, 0x23),                            // 26
    ("global.set", 0, 0x24),                            // 27
    ("table.get", 0, 0x25),                             // 28
    ("table.set", 0, 0x26),                             // 29
    ("i32.load", 0, 0x28),                              // 30
    ("i64.load", 0, 0x29),                              // 31
    ("f32.load", 0, 0x2A),                              // 32
    ("f64.load", 0, 0x2B),                              // 33
    ("i32.load8_s", 0, 0x2C),                           // 34
    ("i32.load8_u", 0, 0x2D),                           // 35
    ("i32.load16_s", 0, 0x2E),                          // 36
    ("i32.load16_u", 0, 0x2F),                          // 37
    ("i64.load8_s", 0, 0x30),                           // 38
    ("i64.load8_u", 0, 0x31),                           // 39
    ("i64.load16_s", 0, 0x32),                          // 40
    ("i64.load16_u", 0, 0x33),                          // 41
    ("i64.load32_s", 0, 0x34),                          // 42
    ("i64.load32_u", 0, 0x35),                          // 43
    ("i32.store", 0, 0x36),                             // 44
    ("i64.store", 0, 0x37),                             // 45
    ("f32.store", 0, 0x38),                             // 46
    ("f64.store", 0, 0x39),                             // 47
    ("i32.store8", 0, 0x3A),                            // 48
    ("i32.store16", 0, 0x3B),                           // 49
    ("i64.store8", 0, 0x3C),                            // 50
    ("i64.store16", 0, 0x3D),                           // 51
    ("i64.store32", 0, 0x3E),                           // 52
    ("memory.size", 0, 0x3F),                           // 53
    ("memory.grow", 0, 0x40),                           // 54
    ("i32.const", 0, 0x41),                             // 55
    ("i64.const", 0, 0x42),                             // 56
    ("f32.const", 0, 0x43),                             // 57
    ("f64.const", 0, 0x44),                             // 58
    ("i32.eqz", 0, 0x45),                               // 59
    ("i32.eq", 0, 0x46),                                // 60
    ("i32.ne", 0, 0x47),                                // 61
    ("i32.lt_s", 0, 0x48),                              // 62
    ("i32.lt_u", 0, 0x49),                              // 63
    ("i32.gt_s", 0, 0x4A),                              // 64
    ("i32.gt_u", 0, 0x4B),                              // 65
    ("i32.le_s", 0, 0x4C),                              // 66
    ("i32.le_u", 0, 0x4D),                              // 67
    ("i32.ge_s", 0, 0x4E),                              // 68
    ("i32.ge_u", 0, 0x4F),                              // 69
    ("i64.eqz", 0, 0x50),                               // 70
    ("i64.eq", 0, 0x51),                                // 71
    ("i64.ne", 0, 0x52),                                // 72
    ("i64.lt_s", 0, 0x53),                              // 73
    ("i64.lt_u", 0, 0x54),                              // 74
    ("i64.gt_s", 0, 0x55),                              // 75
    ("i64.gt_u", 0, 0x56),                              // 76
    ("i64.le_s", 0, 0x57),                              // 77
    ("i64.le_u", 0, 0x58),                              // 78
    ("i64.ge_s", 0, 0x59),                              // 79
    ("i64.ge_u", 0, 0x5A),                              // 80
    ("f32.eq", 0, 0x5B),                                // 81
    ("f32.ne", 0, 0x5C),                                // 82
    ("f32.lt", 0, 0x5D),                                // 83
    ("f32.gt", 0, 0x5E),                                // 84
    ("f32.le", 0, 0x5F),                                // 85
    ("f32.ge", 0, 0x60),                                // 86
    ("f64.eq", 0, 0x61),                                // 87
    ("f64.ne", 0, 0x62),                                // 88
    ("f64.lt", 0, 0x63),                                // 89
    ("f64.gt", 0, 0x64),                                // 90
    ("f64.le", 0, 0x65),                                // 91
    ("f64.ge", 0, 0x66),                                // 92
    ("i32.clz", 0, 0x67),                               // 93
    ("i32.ctz", 0, 0x68),                               // 94
    ("i32.popcnt", 0, 0x69),                            // 95
    ("i32.add", 0, 0x6A),                               // 96
    ("i32.sub", 0, 0x6B),                               // 97
    ("i32.mul", 0, 0x6C),                               // 98
    ("i32.div_s", 0, 0x6D),                             // 99
    ("i32.div_u", 0, 0x6E),                             // 100
    ("i32.rem_s", 0, 0x6F),                             // 101
    ("i32.rem_u", 0, 0x70),                             // 102
    ("i32.and", 0, 0x71),                               // 103
    ("i32.or", 0, 0x72),                                // 104
    ("i32.xor", 0, 0x73),                               // 105
    ("i32.shl", 0, 0x74),                               // 106
    ("i32.shr_s", 0, 0x75),                             // 107
    ("i32.shr_u", 0, 0x76),                             // 108
    ("i32.rotl", 0, 0x77),                              // 109
    ("i32.rotr", 0, 0x78),                              // 110
    ("i64.clz", 0, 0x79),                               // 111
    ("i64.ctz", 0, 0x7A),                               // 112
    ("i64.popcnt", 0, 0x7B),                            // 113
    ("i64.add", 0, 0x7C),                               // 114
    ("i64.sub", 0, 0x7D),                               // 115
    ("i64.mul", 0, 0x7E),                               // 116
    ("i64.div_s", 0, 0x7F),                             // 117
    ("i64.div_u", 0, 0x80),                             // 118
    ("i64.rem_s", 0, 0x81),                             // 119
    ("i64.rem_u", 0, 0x82),                             // 120
    ("i64.and", 0, 0x83),                               // 121
    ("i64.or", 0, 0x84),                                // 122
    ("i64.xor", 0, 0x85),                               // 123
    ("i64.shl", 0, 0x86),                               // 124
    ("i64.shr_s", 0, 0x87),                             // 125
    ("i64.shr_u", 0, 0x88),                             // 126
    ("i64.rotl", 0, 0x89),                              // 127
    ("i64.rotr", 0, 0x8A),                              // 128
    ("f32.abs", 0, 0x8B),                               // 129
    ("f32.neg", 0, 0x8C),                               // 130
    ("f32.ceil", 0, 0x8D),                              // 131
    ("f32.floor", 0, 0x8E),                             // 132
    ("f32.trunc", 0, 0x8F),                             // 133
    ("f32.nearest", 0, 0x90),                           // 134
    ("f32.sqrt", 0, 0x91),                              // 135
    ("f32.add", 0, 0x92),                               // 136
    ("f32.sub", 0, 0x93),                               // 137
    ("f32.mul", 0, 0x94),                               // 138
    ("f32.div", 0, 0x95),                               // 139
    ("f32.min", 0, 0x96),                               // 140
    ("f32.max", 0, 0x97),                               // 141
    ("f32.copysign", 0, 0x98),                          // 142
    ("f64.abs", 0, 0x99),                               // 143
    ("f64.neg", 0, 0x9A),                               // 144
    ("f64.ceil", 0, 0x9B),                              // 145
    ("f64.floor", 0, 0x9C),                             // 146
    ("f64.trunc", 0, 0x9D),                             // 147
    ("f64.nearest", 0, 0x9E),                           // 148
    ("f64.sqrt", 0, 0x9F),                              // 149
    ("f64.add", 0, 0xA0),                               // 150
    ("f64.sub", 0, 0xA1),                               // 151
    ("f64.mul", 0, 0xA2),                               // 152
    ("f64.div", 0, 0xA3),                               // 153
    ("f64.min", 0, 0xA4),                               // 154
    ("f64.max", 0, 0xA5),                               // 155
    ("f64.copysign", 0, 0xA6),                          // 156
    ("i32.wrap_i64", 0, 0xA7),                          // 157
    ("i32.trunc_f32_s", 0, 0xA8),                       // 158
    ("i32.trunc_f32_u", 0, 0xA9),                       // 159
    ("i32.trunc_f64_s", 0, 0xAA),                       // 160
    ("i32.trunc_f64_u", 0, 0xAB),                       // 161
    ("i64.extend_i32_s", 0, 0xAC),                      // 162
    ("i64.extend_i32_u", 0, 0xAD),                      // 163
    ("i64.trunc_f32_s", 0, 0xAE),                       // 164
    ("i64.trunc_f32_u", 0, 0xAF),                       // 165
    ("i64.trunc_f64_s", 0, 0xB0),                       // 166
    ("i64.trunc_f64_u", 0, 0xB1),                       // 167
    ("f32.convert_i32_s", 0, 0xB2),                     // 168
    ("f32.convert_i32_u", 0, 0xB3),                     // 169
    ("f32.convert_i64_s", 0, 0xB4),                     // 170
    ("f32.convert_i64_u", 0, 0xB5),                     // 171
    ("f32.demote_f64", 0, 0xB6),                        // 172
    ("f64.convert_i32_s", 0, 0xB7),                     // 173
    ("f64.convert_i32_u", 0, 0xB8),                     // 174
    ("f64.convert_i64_s", 0, 0xB9),                     // 175
    ("f64.convert_i64_u", 0, 0xBA),                     // 176
    ("f64.promote_f32", 0, 0xBB),                       // 177
    ("i32.reinterpret_f32", 0, 0xBC),                   // 178
    ("i64.reinterpret_f64", 0, 0xBD),                   // 179
    ("f32.reinterpret_i32", 0, 0xBE),                   // 180
    ("f64.reinterpret_i64", 0, 0xBF),                   // 181
    ("i32.extend8_s", 0, 0xC0),                         // 182
    ("i32.extend16_s", 0, 0xC1),                        // 183
    ("i64.extend8_s", 0, 0xC2),                         // 184
    ("i64.extend16_s", 0, 0xC3),                        // 185
    ("i64.extend32_s", 0, 0xC4),                        // 186
    ("ref.null", 0, 0xD0),                              // 187
    ("ref.is_null", 0, 0xD1),                           // 188
    ("ref.func", 0, 0xD2),                              // 189
    ("ref.eq", 0, 0xD3),                                // 190
    ("ref.as_non_null", 0, 0xD4),                       // 191
    ("br_on_null", 0, 0xD5),                            // 192
    ("br_on_non_null", 0, 0xD6),                        // 193
    ("struct.new", 0xFB, 0),                            // 194
    ("struct.new_default", 0xFB, 1),                    // 195
    ("struct.get", 0xFB, 2),                            // 196
    ("struct.get_s", 0xFB, 3),                          // 197
    ("struct.get_u", 0xFB, 4),                          // 198
    ("struct.set", 0xFB, 5),                            // 199
    ("array.new", 0xFB, 6),                             // 200
    ("array.new_default", 0xFB, 7),                     // 201
    ("array.new_fixed", 0xFB, 8),                       // 202
    ("array.new_data", 0xFB, 9),                        // 203
    ("array.new_elem", 0xFB, 10),                       // 204
    ("array.get", 0xFB, 11),                            // 205
    ("array.get_s", 0xFB, 12),                          // 206
    ("array.get_u", 0xFB, 13),                          // 207
    ("array.set", 0xFB, 14),                            // 208
    ("array.len", 0xFB, 15),                            // 209
    ("array.fill", 0xFB, 16),                           // 210
    ("array.copy", 0xFB, 17),                           // 211
    ("array.init_data", 0xFB, 18),                      // 212
    ("array.init_elem", 0xFB, 19),                      // 213
    ("ref.test (ref)", 0xFB, 20),                       // 214
    ("ref.test (ref.null)", 0xFB, 21),                  // 215
    ("ref.cast (ref)", 0xFB, 22),                       // 216
    ("ref.cast (ref.null)", 0xFB, 23),                  // 217
    ("br_on_cast", 0xFB, 24),                           // 218
    ("br_on_cast_fail", 0xFB, 25),                      // 219
    ("any.convert_extern", 0xFB, 26),                   // 220
    ("extern.convert_any", 0xFB, 27),                   // 221
    ("ref.i31", 0xFB, 28),                              // 222
    ("i31.get_s", 0xFB, 29),                            // 223
    ("i31.get_u", 0xFB, 30),                            // 224
    ("i32.trunc_sat_f32_s", 0xFC, 0),                   // 225
    ("i32.trunc_sat_f32_u", 0xFC, 1),                   // 226
    ("i32.trunc_sat_f64_s", 0xFC, 2),                   // 227
    ("i32.trunc_sat_f64_u", 0xFC, 3),                   // 228
    ("i64.trunc_sat_f32_s", 0xFC, 4),                   // 229
    ("i64.trunc_sat_f32_u", 0xFC, 5),                   // 230
    ("i64.trunc_sat_f64_s", 0xFC, 6),                   // 231
    ("i64.trunc_sat_f64_u", 0xFC, 7),                   // 232
    ("memory.init", 0xFC, 8),                           // 233
    ("data.drop", 0xFC, 9),                             // 234
    ("memory.copy", 0xFC, 10),                          // 235
    ("memory.fill", 0xFC, 11),                          // 236
    ("table.init", 0xFC, 12),                           // 237
    ("elem.drop", 0xFC, 13),                            // 238
    ("table.copy", 0xFC, 14),                           // 239
    ("table.grow", 0xFC, 15),                           // 240
    ("table.size", 0xFC, 16),                           // 241
    ("table.fill", 0xFC, 17),                           // 242
    ("v128.load", 0xFD, 0),                             // 243
    ("v128.load8x8_s", 0xFD, 1),                        // 244
    ("v128.load8x8_u", 0xFD, 2),                        // 245
    ("v128.load16x4_s", 0xFD, 3),                       // 246
    ("v128.load16x4_u", 0xFD, 4),                       // 247
    ("v128.load32x2_s", 0xFD, 5),                       // 248
    ("v128.load32x2_u", 0xFD, 6),                       // 249
    ("v128.load8_splat", 0xFD, 7),                      // 250
    ("v128.load16_splat", 0xFD, 8),                     // 251
    ("v128.load32_splat", 0xFD, 9),                     // 252
    ("v128.load64_splat", 0xFD, 10),                    // 253
    ("v128.store", 0xFD, 11),                           // 254
    ("v128.const", 0xFD, 12),                           // 255
    ("i8x16.shuffle", 0xFD, 13),                        // 256
    ("i8x16.swizzle", 0xFD, 14),                        // 257
    ("i8x16.splat", 0xFD, 15),                          // 258
    ("i16x8.splat", 0xFD, 16),                          // 259
    ("i32x4.splat", 0xFD, 17),                          // 260
    ("i64x2.splat", 0xFD, 18),                          // 261
    ("f32x4.splat", 0xFD, 19),                          // 262
    ("f64x2.splat", 0xFD, 20),                          // 263
    ("i8x16.extract_lane_s", 0xFD, 21),                 // 264
    ("i8x16.extract_lane_u", 0xFD, 22),                 // 265
    ("i8x16.replace_lane", 0xFD, 23),                   // 266
    ("i16x8.extract_lane_s", 0xFD, 24),                 // 267
    ("i16x8.extract_lane_u", 0xFD, 25),                 // 268
    ("i16x8.replace_lane", 0xFD, 26),                   // 269
    ("i32x4.extract_lane", 0xFD, 27),                   // 270
    ("i32x4.replace_lane", 0xFD, 28),                   // 271
    ("i64x2.extract_lane", 0xFD, 29),                   // 272
    ("i64x2.replace_lane", 0xFD, 30),                   // 273
    ("f32x4.extract_lane", 0xFD, 31),                   // 274
    ("f32x4.replace_lane", 0xFD, 32),                   // 275
    ("f64x2.extract_lane", 0xFD, 33),                   // 276
    ("f64x2.replace_lane", 0xFD, 34),                   // 277
    ("i8x16.eq", 0xFD, 35),                             // 278
    ("i8x16.ne", 0xFD, 36),                             // 279
    ("i8x16.lt_s", 0xFD, 37),                           // 280
    ("i8x16.lt_u", 0xFD, 38),                           // 281
    ("i8x16.gt_s", 0xFD, 39),                           // 282
    ("i8x16.gt_u", 0xFD, 40),                           // 283
    ("i8x16.le_s", 0xFD, 41),                           // 284
    ("i8x16.le_u", 0xFD, 42),                           // 285
    ("i8x16.ge_s", 0xFD, 43),                           // 286
    ("i8x16.ge_u", 0xFD, 44),                           // 287
    ("i16x8.eq", 0xFD, 45),                             // 288
    ("i16x8.ne", 0xFD, 46),                             // 289
    ("i16x8.lt_s", 0xFD, 47),                           // 290
    ("i16x8.lt_u", 0xFD, 48),                           // 291
    ("i16x8.gt_s", 0xFD, 49),                           // 292
    ("i16x8.gt_u", 0xFD, 50),                           // 293
    ("i16x8.le_s", 0xFD, 51),                           // 294
    ("i16x8.le_u", 0xFD, 52),                           // 295
    ("i16x8.ge_s", 0xFD, 53),                           // 296
    ("i16x8.ge_u", 0xFD, 54),                           // 297
    ("i32x4.eq", 0xFD, 55),                             // 298
    ("i32x4.ne", 0xFD, 56),                             // 299
    ("i32x4.lt_s", 0xFD, 57),                           // 300
    ("i32x4.lt_u", 0xFD, 58),                           // 301
    ("i32x4.gt_s", 0xFD, 59),                           // 302
    ("i32x4.gt_u", 0xFD, 60),                           // 303
    ("i32x4.le_s", 0xFD, 61),                           // 304
    ("i32x4.le_u", 0xFD, 62),                           // 305
    ("i32x4.ge_s", 0xFD, 63),                           // 306
    ("i32x4.ge_u", 0xFD, 64),                           // 307
    ("f32x4.eq", 0xFD, 65),                             // 308
    ("f32x4.ne", 0xFD, 66),                             // 309
    ("f32x4.lt", 0xFD, 67),                             // 310
    ("f32x4.gt", 0xFD, 68),                             // 311
    ("f32x4.le", 0xFD, 69),                             // 312
    ("f32x4.ge", 0xFD, 70),                             // 313
    ("f64x2.eq", 0xFD, 71),                             // 314
    ("f64x2.ne", 0xFD, 72),                             // 315
    ("f64x2.lt", 0xFD, 73),                             // 316
    ("f64x2.gt", 0xFD, 74),                             // 317
    ("f64x2.le", 0xFD, 75),                             // 318
    ("f64x2.ge", 0xFD, 76),                             // 319
    ("v128.not", 0xFD, 77),                             // 320
    ("v128.and", 0xFD, 78),                             // 321
    ("v128.andnot", 0xFD, 79),                          // 322
    ("v128.or", 0xFD, 80),                              // 323
    ("v128.xor", 0xFD, 81),                             // 324
    ("v128.bitselect", 0xFD, 82),                       // 325
    ("v128.any_true", 0xFD, 83),                        // 326
    ("v128.load8_lane", 0xFD, 84),                      // 327
    ("v128.load16_lane", 0xFD, 85),                     // 328
    ("v128.load32_lane", 0xFD, 86),                     // 329
    ("v128.load64_lane", 0xFD, 87),                     // 330
    ("v128.store8_lane", 0xFD, 88),                     // 331
    ("v128.store16_lane", 0xFD, 89),                    // 332
    ("v128.store32_lane", 0xFD, 90),                    // 333
    ("v128.store64_lane", 0xFD, 91),                    // 334
    ("v128.load32_zero", 0xFD, 92),                     // 335
    ("v128.load64_zero", 0xFD, 93),                     // 336
    ("f32x4.demote_f64x2_zero", 0xFD, 94),              // 337
    ("f64x2.promote_low_f32x4", 0xFD, 95),              // 338
    ("i8x16.abs", 0xFD, 96),                            // 339
    ("i8x16.neg", 0xFD, 97),                            // 340
    ("i8x16.popcnt", 0xFD, 98),                         // 341
    ("i8x16.all_true", 0xFD, 99),                       // 342
    ("i8x16.bitmask", 0xFD, 100),                       // 343
    ("i8x16.narrow_i16x8_s", 0xFD, 101),                // 344
    ("i8x16.narrow_i16x8_u", 0xFD, 102),                // 345
    ("f32x4.ceil", 0xFD, 103),                          // 346
    ("f32x4.floor", 0xFD, 104),                         // 347
    ("f32x4.trunc", 0xFD, 105),                         // 348
    ("f32x4.nearest", 0xFD, 106),                       // 349
    ("i8x16.shl", 0xFD, 107),                           // 350
    ("i8x16.shr_s", 0xFD, 108),                         // 351
    ("i8x16.shr_u", 0xFD, 109),                         // 352
    ("i8x16.add", 0xFD, 110),                           // 353
    ("i8x16.add_sat_s", 0xFD, 111),                     // 354
    ("i8x16.add_sat_u", 0xFD, 112),                     // 355
    ("i8x16.sub", 0xFD, 113),                           // 356
    ("i8x16.sub_sat_s", 0xFD, 114),                     // 357
    ("i8x16.sub_sat_u", 0xFD, 115),                     // 358
    ("f64x2.ceil", 0xFD, 116),                          // 359
    ("f64x2.floor", 0xFD, 117),                         // 360
    ("i8x16.min_s", 0xFD, 118),                         // 361
    ("i8x16.min_u", 0xFD, 119),                         // 362
    ("i8x16.max_s", 0xFD, 120),                         // 363
    ("i8x16.max_u", 0xFD, 121),                         // 364
    ("f64x2.trunc", 0xFD, 122),                         // 365
    ("i8x16.avgr_u", 0xFD, 123),                        // 366
    ("i16x8.extadd_pairwise_i8x16_s", 0xFD, 124),       // 367
    ("i16x8.extadd_pairwise_i8x16_u", 0xFD, 125),       // 368
    ("i32x4.extadd_pairwise_i16x8_s", 0xFD, 126),       // 369
    ("i32x4.extadd_pairwise_i16x8_u", 0xFD, 127),       // 370
    ("i16x8.abs", 0xFD, 128),                           // 371
    ("i16x8.neg", 0xFD, 129),                           // 372
    ("i16x8.q15mulr_sat_s", 0xFD, 130),                 // 373
    ("i16x8.all_true", 0xFD, 131),                      // 374
    ("i16x8.bitmask", 0xFD, 132),                       // 375
    ("i16x8.narrow_i32x4_s", 0xFD, 133),                // 376
    ("i16x8.narrow_i32x4_u", 0xFD, 134),                // 377
    ("i16x8.extend_low_i8x16_s", 0xFD, 135),            // 378
    ("i16x8.extend_high_i8x16_s", 0xFD, 136),           // 379
    ("i16x8.extend_low_i8x16_u", 0xFD, 137),            // 380
    ("i16x8.extend_high_i8x16_u", 0xFD, 138),           // 381
    ("i16x8.shl", 0xFD, 139),                           // 382
    ("i16x8.shr_s", 0xFD, 140),                         // 383
    ("i16x8.shr_u", 0xFD, 141),                         // 384
    ("i16x8.add", 0xFD, 142),                           // 385
    ("i16x8.add_sat_s", 0xFD, 143),                     // 386
    ("i16x8.add_sat_u", 0xFD, 144),                     // 387
    ("i16x8.sub", 0xFD, 145),                           // 388
    ("i16x8.sub_sat_s", 0xFD, 146),                     // 389
    ("i16x8.sub_sat_u", 0xFD, 147),                     // 390
    ("f64x2.nearest", 0xFD, 148),                       // 391
    ("i16x8.mul", 0xFD, 149),                           // 392
    ("i16x8.min_s", 0xFD, 150),                         // 393
    ("i16x8.min_u", 0xFD, 151),                         // 394
    ("i16x8.max_s", 0xFD, 152),                         // 395
    ("i16x8.max_u", 0xFD, 153),                         // 396
    ("i16x8.avgr_u", 0xFD, 155),                        // 397
    ("i16x8.extmul_low_i8x16_s", 0xFD, 156),            // 398
    ("i16x8.extmul_high_i8x16_s", 0xFD, 157),           // 399
    ("i16x8.extmul_low_i8x16_u", 0xFD, 158),            // 400
    ("i16x8.extmul_high_i8x16_u", 0xFD, 159),           // 401
    ("i32x4.abs", 0xFD, 160),                           // 402
    ("i32x4.neg", 0xFD, 161),                           // 403
    ("i32x4.all_true", 0xFD, 163),                      // 404
    ("i32x4.bitmask", 0xFD, 164),                       // 405
    ("i32x4.extend_low_i16x8_s", 0xFD, 167),            // 406
    ("i32x4.extend_high_i16x8_s", 0xFD, 168),           // 407
    ("i32x4.extend_low_i16x8_u", 0xFD, 169),            // 408
    ("i32x4.extend_high_i16x8_u", 0xFD, 170),           // 409
    ("i32x4.shl", 0xFD, 171),                           // 410
    ("i32x4.shr_s", 0xFD, 172),                         // 411
    ("i32x4.shr_u", 0xFD, 173),                         // 412
    ("i32x4.add", 0xFD, 174),                           // 413
    ("i32x4.sub", 0xFD, 177),                           // 414
    ("i32x4.mul", 0xFD, 181),                           // 415
    ("i32x4.min_s", 0xFD, 182),                         // 416
    ("i32x4.min_u", 0xFD, 183),                         // 417
    ("i32x4.max_s", 0xFD, 184),                         // 418
    ("i32x4.max_u", 0xFD, 185),                         // 419
    ("i32x4.dot_i16x8_s", 0xFD, 186),                   // 420
    ("i32x4.extmul_low_i16x8_s", 0xFD, 188),            // 421
    ("i32x4.extmul_high_i16x8_s", 0xFD, 189),           // 422
    ("i32x4.extmul_low_i16x8_u", 0xFD, 190),            // 423
    ("i32x4.extmul_high_i16x8_u", 0xFD, 191),           // 424
    ("i64x2.abs", 0xFD, 192),                           // 425
    ("i64x2.neg", 0xFD, 193),                           // 426
    ("i64x2.all_true", 0xFD, 195),                      // 427
    ("i64x2.bitmask", 0xFD, 196),                       // 428
    ("i64x2.extend_low_i32x4_s", 0xFD, 199),            // 429
    ("i64x2.extend_high_i32x4_s", 0xFD, 200),           // 430
    ("i64x2.extend_low_i32x4_u", 0xFD, 201),            // 431
    ("i64x2.extend_high_i32x4_u", 0xFD, 202),           // 432
    ("i64x2.shl", 0xFD, 203),                           // 433
    ("i64x2.shr_s", 0xFD, 204),                         // 434
    ("i64x2.shr_u", 0xFD, 205),                         // 435
    ("i64x2.add", 0xFD, 206),                           // 436
    ("i64x2.sub", 0xFD, 209),                           // 437
    ("i64x2.mul", 0xFD, 213),                           // 438
    ("i64x2.eq", 0xFD, 214),                            // 439
    ("i64x2.ne", 0xFD, 215),                            // 440
    ("i64x2.lt_s", 0xFD, 216),                          // 441
    ("i64x2.gt_s", 0xFD, 217),                          // 442
    ("i64x2.le_s", 0xFD, 218),                          // 443
    ("i64x2.ge_s", 0xFD, 219),                          // 444
    ("i64x2.extmul_low_i32x4_s", 0xFD, 220),            // 445
    ("i64x2.extmul_high_i32x4_s", 0xFD, 221),           // 446
    ("i64x2.extmul_low_i32x4_u", 0xFD, 222),            // 447
    ("i64x2.extmul_high_i32x4_u", 0xFD, 223),           // 448
    ("f32x4.abs", 0xFD, 224),                           // 449
    ("f32x4.neg", 0xFD, 225),                           // 450
    ("f32x4.sqrt", 0xFD, 227),                          // 451
    ("f32x4.add", 0xFD, 228),                           // 452
    ("f32x4.sub", 0xFD, 229),                           // 453
    ("f32x4.mul", 0xFD, 230),                           // 454
    ("f32x4.div", 0xFD, 231),                           // 455
    ("f32x4.min", 0xFD, 232),                           // 456
    ("f32x4.max", 0xFD, 233),                           // 457
    ("f32x4.pmin", 0xFD, 234),                          // 458
    ("f32x4.pmax", 0xFD, 235),                          // 459
    ("f64x2.abs", 0xFD, 236),                           // 460
    ("f64x2.neg", 0xFD, 237),                           // 461
    ("f64x2.sqrt", 0xFD, 239),                          // 462
    ("f64x2.add", 0xFD, 240),                           // 463
    ("f64x2.sub", 0xFD, 241),                           // 464
    ("f64x2.mul", 0xFD, 242),                           // 465
    ("f64x2.div", 0xFD, 243),                           // 466
    ("f64x2.min", 0xFD, 244),                           // 467
    ("f64x2.max", 0xFD, 245),                           // 468
    ("f64x2.pmin", 0xFD, 246),                          // 469
    ("f64x2.pmax", 0xFD, 247),                          // 470
    ("i32x4.trunc_sat_f32x4_s", 0xFD, 248),             // 471
    ("i32x4.trunc_sat_f32x4_u", 0xFD, 249),             // 472
    ("f32x4.convert_i32x4_s", 0xFD, 250),               // 473
    ("f32x4.convert_i32x4_u", 0xFD, 251),               // 474
    ("i32x4.trunc_sat_f64x2_s_zero", 0xFD, 252),        // 475
    ("i32x4.trunc_sat_f64x2_u_zero", 0xFD, 253),        // 476
    ("f64x2.convert_low_i32x4_s", 0xFD, 254),           // 477
    ("f64x2.convert_low_i32x4_u", 0xFD, 255),           // 478
    ("i8x16.relaxed_swizzle", 0xFD, 256),               // 479
    ("i32x4.relaxed_trunc_f32x4_s", 0xFD, 257),         // 480
    ("i32x4.relaxed_trunc_f32x4_u", 0xFD, 258),         // 481
    ("i32x4.relaxed_trunc_f64x2_s_zero", 0xFD, 259),    // 482
    ("i32x4.relaxed_trunc_f64x2_u_zero", 0xFD, 260),    // 483
    ("f32x4.relaxed_madd", 0xFD, 261),                  // 484
    ("f32x4.relaxed_nmadd", 0xFD, 262),                 // 485
    ("f64x2.relaxed_madd", 0xFD, 263),                  // 486
    ("f64x2.relaxed_nmadd", 0xFD, 264),                 // 487
    ("i8x16.relaxed_laneselect", 0xFD, 265),            // 488
    ("i16x8.relaxed_laneselect", 0xFD, 266),            // 489
    ("i32x4.relaxed_laneselect", 0xFD, 267),            // 490
    ("i64x2.relaxed_laneselect", 0xFD, 268),            // 491
    ("f32x4.relaxed_min", 0xFD, 269),                   // 492
    ("f32x4.relaxed_max", 0xFD, 270),                   // 493
    ("f64x2.relaxed_min", 0xFD, 271),                   // 494
    ("f64x2.relaxed_max", 0xFD, 272),                   // 495
    ("i16x8.relaxed_q15mulr_s", 0xFD, 273),             // 496
    ("i16x8.relaxed_dot_i8x16_i7x16_s", 0xFD, 274),     // 497
    ("i32x4.relaxed_dot_i8x16_i7x16_add_s", 0xFD, 275), // 498
    ("memory.atomic.notify", 0xFE, 0),                  // 499
    ("memory.atomic.wait32", 0xFE, 1),                  // 500
    ("memory.atomic.wait64", 0xFE, 2),                  // 501
    ("atomic.fence", 0xFE, 3),                          // 502
    ("i32.atomic.load", 0xFE, 16),                      // 503
    ("i64.atomic.load", 0xFE, 17),                      // 504
    ("i32.atomic.load8_u", 0xFE, 18),                   // 505
    ("i32.atomic.load16_u", 0xFE, 19),                  // 506
    ("i64.atomic.load8_u", 0xFE, 20),                   // 507
    ("i64.atomic.load16_u", 0xFE, 21),                  // 508
    ("i64.atomic.load32_u", 0xFE, 22),                  // 509
    ("i32.atomic.store", 0xFE, 23),                     // 510
    ("i64.atomic.store", 0xFE, 24),                     // 511
    ("i32.atomic.store8", 0xFE, 25),                    // 512
    ("i32.atomic.store16", 0xFE, 26),                   // 513
    ("i64.atomic.store8", 0xFE, 27),                    // 514
    ("i64.atomic.store16", 0xFE, 28),                   // 515
    ("i64.atomic.store32", 0xFE, 29),                   // 516
    ("i32.atomic.rmw.add", 0xFE, 30),                   // 517
    ("i64.atomic.rmw.add", 0xFE, 31),                   // 518
    ("i32.atomic.rmw8.add_u", 0xFE, 32),                // 519
    ("i32.atomic.rmw16.add_u", 0xFE, 33),               // 520
    ("i64.atomic.rmw8.add_u", 0xFE, 34),                // 521
    ("i64.atomic.rmw16.add_u", 0xFE, 35),               // 522
    ("i64.atomic.rmw32.add_u", 0xFE, 36),               // 523
    ("i32.atomic.rmw.sub", 0xFE, 37),                   // 524
    ("i64.atomic.rmw.sub", 0xFE, 38),                   // 525
    ("i32.atomic.rmw8.sub_u", 0xFE, 39),                // 526
    ("i32.atomic.rmw16.sub_u", 0xFE, 40),               // 527
    ("i64.atomic.rmw8.sub_u", 0xFE, 41),                // 528
    ("i64.atomic.rmw16.sub_u", 0xFE, 42),               // 529
    ("i64.atomic.rmw32.sub_u", 0xFE, 43),               // 530
    ("i32.atomic.rmw.and", 0xFE, 44),                   // 531
    ("i64.atomic.rmw.and", 0xFE, 45),                   // 532
    ("i32.atomic.rmw8.and_u", 0xFE, 46),                // 533
    ("i32.atomic.rmw16.and_u", 0xFE, 47),               // 534
    ("i64.atomic.rmw8.and_u", 0xFE, 48),                // 535
    ("i64.atomic.rmw16.and_u", 0xFE, 49),               // 536
    ("i64.atomic.rmw32.and_u", 0xFE, 50),               // 537
    ("i32.atomic.rmw.or", 0xFE, 51),                    // 538
    ("i64.atomic.rmw.or", 0xFE, 52),                    // 539
    ("i32.atomic.rmw8.or_u", 0xFE, 53),                 // 540
    ("i32.atomic.rmw16.or_u", 0xFE, 54),                // 541
    ("i64.atomic.rmw8.or_u", 0xFE, 55),                 // 542
    ("i64.atomic.rmw16.or_u", 0xFE, 56),                // 543
    ("i64.atomic.rmw32.or_u", 0xFE, 57),                // 544
    ("i32.atomic.rmw.xor", 0xFE, 58),                   // 545
    ("i64.atomic.rmw.xor", 0xFE, 59),                   // 546
    ("i32.atomic.rmw8.xor_u", 0xFE, 60),                // 547
    ("i32.atomic.rmw16.xor_u", 0xFE, 61),               // 548
    ("i64.atomic.rmw8.xor_u", 0xFE, 62),                // 549
    ("i64.atomic.rmw16.xor_u", 0xFE, 63),               // 550
    ("i64.atomic.rmw32.xor_u", 0xFE, 64),               // 551
    ("i32.atomic.rmw.xchg", 0xFE, 65),                  // 552
    ("i64.atomic.rmw.xchg", 0xFE, 66),                  // 553
    ("i32.atomic.rmw8.xchg_u", 0xFE, 67),               // 554
    ("i32.atomic.rmw16.xchg_u", 0xFE, 68),              // 555
    ("i64.atomic.rmw8.xchg_u", 0xFE, 69),               // 556
    ("i64.atomic.rmw16.xchg_u", 0xFE, 70),              // 557
    ("i64.atomic.rmw32.xchg_u", 0xFE, 71),              // 558
    ("i32.atomic.rmw.cmpxchg", 0xFE, 72),               // 559
    ("i64.atomic.rmw.cmpxchg", 0xFE, 73),               // 560
    ("i32.atomic.rmw8.cmpxchg_u", 0xFE, 74),            // 561
    ("i32.atomic.rmw16.cmpxchg_u", 0xFE, 75),           // 562
    ("i64.atomic.rmw8.cmpxchg_u", 0xFE, 76),            // 563
    ("i64.atomic.rmw16.cmpxchg_u", 0xFE, 77),           // 564
    ("i64.atomic.rmw32.cmpxchg_u", 0xFE, 78),           // 565
];

/// Marks an encoding WasmEdge does not number.
const NONE: u16 = u16::MAX;

/// The ordinals of the operators with prefix `prefix`, indexed by (sub-)opcode.
const fn by_code<const N: usize>(prefix: u8) -> [u16; N] {
    let mut table = [NONE; N];
    let mut i = 0;
    while i < OPCODES.len() {
        let (_, p, code) = OPCODES[i];
        if p == prefix {
            assert!((code as usize) < N, "lookup table too small");
            table[code as usize] = i as u16;
        }
        i += 1;
    }
    table
}

static PLAIN: [u16; 256] = by_code(0);
static PREFIX_FB: [u16; 31] = by_code(0xFB);
static PREFIX_FC: [u16; 18] = by_code(0xFC);
static PREFIX_FD: [u16; 276] = by_code(0xFD);
static PREFIX_FE: [u16; 79] = by_code(0xFE);

/// The ordinal of the operator encoded as `prefix` (0 for none) and `code`.
pub fn ordinal(prefix: u8, code: u32) -> Option<u16> {
    let table: &[u16] = match prefix {
        0 => &PLAIN,
        0xFB => &PREFIX_FB,
        0xFC => &PREFIX_FC,
        0xFD => &PREFIX_FD,
        0xFE => &PREFIX_FE,
        _ => return None,
    };
    table.get(code as usize).copied().filter(|&o| o != NONE)
}

/// The ordinal of the operator whose encoding starts at `bytes[0]`.
pub fn ordinal_at(bytes: &[u8]) -> Option<u16> {
    let (&first, rest) = bytes.split_first()?;
    if (0xFB..=0xFE).contains(&first) {
        ordinal(first, read_u32_leb(rest)?)
    } else {
        ordinal(0, u32::from(first))
    }
}

fn read_u32_leb(bytes: &[u8]) -> Option<u32> {
    let mut value: u32 = 0;
    for (i, &b) in bytes.iter().take(5).enumerate() {
        value |= u32::from(b & 0x7F) << (7 * i);
        if b & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// Ordinals the metering code names.
pub mod named {
    /// `end`.
    pub const END: u16 = super::PLAIN[0x0B];
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_follow_wasmedge_numbering() {
        assert_eq!(ordinal(0, 0x00), Some(0), "unreachable");
        assert_eq!(ordinal(0, 0x01), Some(1), "nop");
        assert_eq!(ordinal(0, 0x05), Some(5), "else");
        assert_eq!(named::END, 8);
        assert_eq!(ordinal(0, 0x1C), Some(21), "select t");
        assert_eq!(ordinal(0, 0x20), Some(23), "local.get");
        assert_eq!(
            ordinal(0, 0x6A).map(|o| OPCODES[o as usize].0),
            Some("i32.add")
        );
        assert_eq!(
            ordinal(0xFC, 0).map(|o| OPCODES[o as usize].0),
            Some("i32.trunc_sat_f32_s")
        );
        assert_eq!(
            ordinal(0xFD, 12).map(|o| OPCODES[o as usize].0),
            Some("v128.const")
        );
        assert_eq!(ordinal(0xFE, 78), Some(565), "the last one");
        assert_eq!(ordinal(0, 0x06), None, "reserved");
        assert_eq!(ordinal(0xFC, 18), None);
    }

    #[test]
    fn every_encoding_has_one_ordinal() {
        for (i, &(name, prefix, code)) in OPCODES.iter().enumerate() {
            assert_eq!(ordinal(prefix, code), Some(i as u16), "{name}");
        }
    }

    #[test]
    fn prefixed_operators_are_read_from_their_leb_encoding() {
        // i32x4.dot_i16x8_s is 0xFD 186, which takes two LEB bytes.
        let o = ordinal_at(&[0xFD, 0xBA, 0x01]).unwrap();
        assert_eq!(OPCODES[o as usize].0, "i32x4.dot_i16x8_s");
        assert_eq!(ordinal_at(&[0x6A]), ordinal(0, 0x6A));
        assert_eq!(ordinal_at(&[0xFD]), None, "truncated");
    }
}
