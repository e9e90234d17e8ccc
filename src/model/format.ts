/**
 * The model image format, version 1 (SPEC 12; docs/image-format.md): the
 * constants the loader (src/model/loader.ts) and the host writer
 * (tools/model/image-writer.ts) share, the error codes of the loader and
 * their message table.
 *
 * Everything is little-endian and 4-byte aligned. An image is a 40-byte
 * header, eight sections in a fixed order (each an 8-byte tag and length,
 * then its content), and a trailing CRC-32 of every byte before it.
 * 32-bit constants are written in signed form (docs/integer-purity.md).
 */

/** 'MTK1' as a little-endian int32 (bytes 4d 54 4b 31). */
export const IMAGE_MAGIC = 0x314b544d;
/** The format version this loader reads and the writer writes. */
export const IMAGE_VERSION = 1;
/** Bytes of the fixed header. */
export const IMAGE_HEADER_BYTES = 40;
/** Bytes of the trailing CRC-32. */
export const IMAGE_CRC_BYTES = 4;
/** Largest image the loader accepts (4 MiB): far above any model that fits a board. */
export const IMAGE_MAX_BYTES = 0x400000;

/** Byte offsets of the header fields. */
export const ImageHeader = {
  /** u8[4] 'MTK1'. */
  MAGIC: 0,
  /** u16, IMAGE_VERSION. */
  VERSION: 4,
  /** u16, IMAGE_HEADER_BYTES. */
  HEADER_BYTES: 6,
  /** u32, bytes of the whole image including the trailing CRC. */
  TOTAL_BYTES: 8,
  /** u8, fractional bits f (16 when the model leaves f out). */
  F: 12,
  /** u8, state dimension n. */
  N: 13,
  /** u8, number of CRT moduli r. */
  MODULI: 14,
  /** u8, number of levels L + 1. */
  LEVELS: 15,
  /** u16, number of polytope families. */
  FAMILIES: 16,
  /** u16, number of operators. */
  OPERATORS: 18,
  /** u32, presence bits of optional fields (ImageModelFlag). */
  FLAGS: 20,
  /** u32, facets of every polytope together (sum of m). */
  FACETS: 24,
  /** u16, the largest m of any polytope. */
  M_MAX: 28,
  /** u16, reserved, 0. */
  RESERVED0: 30,
  /** u32, CRC-32 of the model source (JSON text) the image was compiled from; 0 if none. */
  SOURCE_HASH: 32,
  /** u32, reserved, 0. */
  RESERVED1: 36,
} as const;

/** Presence bits of the model's optional fields (header FLAGS). */
export const ImageModelFlag = {
  /** `f` is given (otherwise the header's f byte is 16 and the model has no `f`). */
  F: 1,
  /** `gates` is given (otherwise the GATE section is empty). */
  GATES: 2,
  /** `searchCap` is given (otherwise its SETS word is 0). */
  SEARCH_CAP: 4,
  /** `projectIters` is given. */
  PROJECT_ITERS: 8,
  /** `pressureLeak` is given. */
  PRESSURE_LEAK: 16,
} as const;
/** Every defined ImageModelFlag bit. */
export const IMAGE_MODEL_FLAGS_ALL = 31;

/** Presence bits of a polytope's optional fields (FAMI section). */
export const ImagePolytopeFlag = {
  SHIFTS: 1,
  B_MIN: 2,
  B_MAX: 4,
} as const;
export const IMAGE_POLYTOPE_FLAGS_ALL = 7;

/** Presence bits of a level's optional fields (LEVL section). */
export const ImageLevelFlag = {
  WINDOWS: 1,
  /** An int32 `order` (0..5) follows the window count. */
  ORDER: 2,
} as const;
export const IMAGE_LEVEL_FLAGS_ALL = 3;

/** Window metric codes (LEVL section); the loader gives them back as the strings of WindowSpec. */
export const ImageMetricCode = {
  DIAGONAL: 0,
  FULL: 1,
} as const;

/** Operator parameter types (OPER section). */
export const ImageParamType = {
  /** One int32. */
  SCALAR: 1,
  /** u32 length, then that many int32. */
  VECTOR: 2,
  /** u32 rows, u32 cols, then rows x cols int32, row-major. */
  MATRIX: 3,
} as const;

/**
 * ImageSection tags, in the order they appear, each as the little-endian int32
 * of its four ASCII letters.
 */
export const ImageSection = {
  /** 'MODU': the r moduli. */
  MODULI: 0x55444f4d,
  /** 'SETS': kMax, tPromote, tComm, history, searchCap, projectIters, pressureLeak. */
  SETTINGS: 0x53544553,
  /** 'CAQ ': IMAGE_CAQ_FIELDS in order, then stableVar (L + 1). */
  CAQ: 0x20514143,
  /** 'GATE': omega (n), theta, epsPas, chi (n); empty without gates. */
  GATES: 0x45544147,
  /** 'LEVL': per level beta, tol, tau, flags, window count, then its windows. */
  LEVELS: 0x4c56454c,
  /** 'FAMI': per family its CRT index, then per level m and polytope flags. */
  FAMILIES: 0x494d4146,
  /** 'POLY': per family and level A, b and the optional bMin, bMax, shifts. */
  POLYTOPES: 0x594c4f50,
  /** 'OPER': per operator its block size, kind and named int32 parameters. */
  OPERATORS: 0x5245504f,
} as const;

/** The sections in image order. */
export const IMAGE_SECTION_ORDER: readonly number[] = [
  ImageSection.MODULI,
  ImageSection.SETTINGS,
  ImageSection.CAQ,
  ImageSection.GATES,
  ImageSection.LEVELS,
  ImageSection.FAMILIES,
  ImageSection.POLYTOPES,
  ImageSection.OPERATORS,
];

/** The SETS section's words, in order. Absent optional ones are 0. */
export const IMAGE_SETTINGS_FIELDS: readonly string[] = ['kMax', 'tPromote', 'tComm', 'history', 'searchCap', 'projectIters', 'pressureLeak'];

/**
 * The CAQ section's scalar words, in order (ModelSpec.caq without
 * `stableVar`, which follows them with one word per level).
 */
export const IMAGE_CAQ_FIELDS: readonly string[] = [
  'rateShift',
  'varInit',
  'trustVar',
  'trustPressure',
  'volatileVar',
  'deltaMin',
  'deltaMid',
  'deltaMax',
  'scheduleShift',
  'fossilVar',
  'fossilPressure',
  'fossilSteps',
  'gardenPeriod',
  'gardenGain',
  'gardenShift',
];

/** Limits the loader checks before it sizes anything (each also bounded by the bytes present). */
export const ImageLimit = {
  /** Most operators. */
  OPERATORS: 64,
  /** Most parameters of one operator. */
  PARAMS: 64,
  /** Longest operator kind or parameter name (bytes). */
  NAME: 63,
  /** Largest vector length, matrix row or column count of a parameter. */
  PARAM_DIM: 4096,
  /** Most windows of one level. */
  WINDOWS: 64,
  /** Most families. */
  FAMILIES: 4096,
} as const;

/** Why `loadImage` refused an image. 0 is success. */
export const ImageError = {
  OK: 0,
  /** Fewer bytes than a header and a CRC. */
  TOO_SHORT: 1,
  /** The first four bytes are not 'MTK1'. */
  BAD_MAGIC: 2,
  /** A version this loader does not read. */
  BAD_VERSION: 3,
  /** ImageHeader size field wrong, or a reserved header field not 0. */
  BAD_HEADER: 4,
  /** Total size field out of range or not a multiple of 4. */
  BAD_SIZE: 5,
  /** Fewer bytes than the header's total size. */
  TRUNCATED: 6,
  /** More bytes than the header's total size. */
  TRAILING_BYTES: 7,
  /** The trailing CRC-32 does not match. */
  BAD_CRC: 8,
  /** f, n, moduli count, levels, families or operator count out of range. */
  BAD_DIMENSION: 9,
  /** An unknown presence bit, or an absent field not in its canonical form. */
  BAD_FLAGS: 10,
  /** A section tag is not the one expected there. */
  BAD_SECTION: 11,
  /** A section's length is not what its contents need, or runs past the image. */
  BAD_SECTION_SIZE: 12,
  /** A count (facets, windows, parameters, a parameter's dimensions) out of range or inconsistent. */
  BAD_COUNT: 13,
  /** A coded value out of range (metric, 0/1 flag, residue shift, parameter type, padding). */
  BAD_VALUE: 14,
  /** An operator kind or parameter name that is empty, too long, not [A-Za-z_][A-Za-z0-9_-]*, reserved or repeated. */
  BAD_NAME: 15,
  /** The moduli or the family indices are refused by the CRT index. */
  BAD_INDEX: 16,
  /** The engine's model checks (src/engine/validate.ts) refused the model; `detail` says why. */
  INVALID_MODEL: 17,
  /** An unexpected exception inside the loader (a bug: the fuzz tests assert it never happens). */
  INTERNAL: 18,
} as const;
export type ImageError = (typeof ImageError)[keyof typeof ImageError];

/** One line per ImageError, indexed by code. */
export const IMAGE_ERROR_MESSAGES: readonly string[] = [
  'ok',
  'image shorter than a header and a CRC',
  "not a model image (magic is not 'MTK1')",
  'image format version not supported',
  'bad header size or reserved header field',
  'total size field out of range',
  'image truncated (fewer bytes than its header says)',
  'bytes after the end of the image',
  'CRC-32 mismatch: the image is corrupted',
  'a dimension in the header is out of range',
  'unknown presence flag, or absent field not zero',
  'unexpected section tag',
  'section length does not match its contents',
  'a count is out of range or inconsistent',
  'a coded value is out of range',
  'bad operator or parameter name',
  'moduli or family indices refused by the CRT index',
  'the model fails the engine checks',
  'internal loader error',
];

/** Fossil record ('MTKF') constants: see src/model/fossil-record.ts. */
export const FOSSIL_MAGIC = 0x464b544d;
export const FOSSIL_VERSION = 1;
