export { BUILT_IN_FORMATS, findBuiltInFormat } from "./built-in-formats";
export { copyFormat } from "./copy-format";
export { scaleSegments } from "./scale-segments";
export {
  FormatEditsSchema,
  FormatSchema,
  SegmentKindSchema,
  SegmentSchema,
  type Format,
  type FormatEdits,
  type Segment,
  type SegmentKind,
} from "./schemas";
export { copyFormatForCaller, findCircleFormat, findUsableFormat, listFormats, updateOwnFormat, type FormatChanges, type FormatView } from "./service";
