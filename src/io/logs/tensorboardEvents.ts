/**
 * TensorBoard event files (`events.out.tfevents.*`): TFRecord framing around serialized
 * `tensorflow.Event` messages. Scalars come either as `Summary.Value.simple_value` (TF1,
 * tensorboardX, torch.utils.tensorboard) or as a one-element `tensor` under the `scalars`
 * plugin (TF2 summary writers); histograms, images, text and the graph are skipped.
 */

import { LabError } from '../errors';
import { halfBitsToFloat } from '../checkpoint/float16';
import { ProtoReader, WIRE_FIXED32, WIRE_LENGTH, WIRE_VARINT } from './protoWire';
import { buildSeries, countOf, LogWarnings } from './seriesBuilder';
import { scanTfRecords } from './tfRecord';

import type { ParsedLog } from './types';

/** Field numbers of tensorflow.Event, Summary, Summary.Value and TensorProto that are read. */
const EVENT_STEP = 2;
const EVENT_SUMMARY = 5;
const SUMMARY_VALUE = 1;
const VALUE_TAG = 1;
const VALUE_SIMPLE = 2;
const VALUE_NODE_NAME = 7;
const VALUE_TENSOR = 8;
const VALUE_METADATA = 9;
const METADATA_PLUGIN_DATA = 1;
const PLUGIN_NAME = 1;
const TENSOR_DTYPE = 1;
const TENSOR_SHAPE = 2;
const TENSOR_CONTENT = 4;
const SHAPE_DIM = 2;
const DIM_SIZE = 1;

/** tensorflow.DataType codes of the numeric dtypes a scalar summary can hold. */
const DT_FLOAT = 1;
const DT_DOUBLE = 2;
const DT_INT32 = 3;
const DT_INT64 = 9;
const DT_BOOL = 10;
const DT_BFLOAT16 = 14;
const DT_HALF = 19;

/** The TensorProto value field, and the byte width in tensor_content, for each dtype above. */
const TENSOR_VALUE_FIELD: ReadonlyMap<number, { field: number; bytes: number }> = new Map([
  [DT_FLOAT, { field: 5, bytes: 4 }],
  [DT_DOUBLE, { field: 6, bytes: 8 }],
  [DT_INT32, { field: 7, bytes: 4 }],
  [DT_INT64, { field: 10, bytes: 8 }],
  [DT_BOOL, { field: 11, bytes: 1 }],
  [DT_BFLOAT16, { field: 13, bytes: 2 }],
  [DT_HALF, { field: 13, bytes: 2 }],
]);

/** How many skipped tag names a warning lists. */
const LISTED_TAGS = 5;

/** One Summary.Value as read: a scalar, or a reason it is not one. */
interface SummaryEntry {
  tag: string;
  plugin: string | null;
  value: number | null;
}

/** Points of one tag in file order. */
interface TagPoints {
  steps: number[];
  values: number[];
}

/**
 * Parses a TensorBoard event file into one series per scalar tag, steps sorted. A final record
 * cut short (the run is still writing) is left out with a warning. Throws LabError
 * 'corrupt_file' naming the byte offset for a record whose CRC does not match or that is not an
 * Event message.
 */
export function parseTensorBoardEvents(bytes: Uint8Array, fileName: string): ParsedLog {
  const warnings = new LogWarnings();
  const scan = scanTfRecords(bytes, fileName);
  if (scan.truncatedAt >= 0) {
    warnings.add(`${fileName}: the last record, from byte ${scan.truncatedAt}, is incomplete (the run was probably still writing) and was left out.`);
  }
  if (scan.records.length === 0) warnings.add(`${fileName} holds no complete event records yet.`);

  const byTag = new Map<string, TagPoints>();
  const pluginOf = new Map<string, string>();
  const skippedTags = new Set<string>();
  for (const record of scan.records) {
    const onError = (problem: string, offset: number): never => {
      throw new LabError('corrupt_file', `${fileName}: the record at byte ${record.offset} is not a TensorFlow Event (${problem} at byte ${offset}). Check that this is a TensorBoard events.out.tfevents file.`, { details: { fileName, offset: record.offset } });
    };
    const { step, entries } = readEvent(new ProtoReader(bytes, record.start, record.end, onError));

    for (const entry of entries) {
      if (entry.plugin !== null && !pluginOf.has(entry.tag)) pluginOf.set(entry.tag, entry.plugin);
      const plugin = pluginOf.get(entry.tag) ?? '';
      if (entry.value === null || (plugin !== '' && plugin !== 'scalars')) {
        skippedTags.add(entry.tag);
        continue;
      }
      const points = byTag.get(entry.tag) ?? { steps: [], values: [] };
      if (points.steps.length === 0) byTag.set(entry.tag, points);
      points.steps.push(step);
      points.values.push(entry.value);
    }
  }

  for (const tag of byTag.keys()) skippedTags.delete(tag);
  if (skippedTags.size > 0) {
    const listed = [...skippedTags].slice(0, LISTED_TAGS).map((tag) => `"${tag}"`).join(', ');
    const more = skippedTags.size > LISTED_TAGS ? ` and ${skippedTags.size - LISTED_TAGS} more` : '';
    warnings.add(`${fileName}: skipped ${countOf(skippedTags.size, 'tag')} of histograms, images, text or other non-scalar data: ${listed}${more}.`);
  }

  const series = [...byTag].map(([tag, points]) => {
    const steps = Float64Array.from(points.steps);
    const values = Float64Array.from(points.values);
    return buildSeries({ id: tag, label: tag, source: fileName, steps, values }, warnings);
  });
  return { format: 'tensorboard', series, stepLabel: 'step', warnings: warnings.list() };
}

/** Reads an Event's step and the entries of its summary (none for file_version, graph, ...). */
function readEvent(event: ProtoReader): { step: number; entries: SummaryEntry[] } {
  let step = 0;
  const summaries: ProtoReader[] = [];
  while (event.next()) {
    if (event.field === EVENT_STEP && event.wire === WIRE_VARINT) step = event.int64();
    else if (event.field === EVENT_SUMMARY && event.wire === WIRE_LENGTH) summaries.push(event.message());
    else event.skip();
  }

  const entries: SummaryEntry[] = [];
  for (const summary of summaries) {
    while (summary.next()) {
      if (summary.field === SUMMARY_VALUE && summary.wire === WIRE_LENGTH) entries.push(readValue(summary.message()));
      else summary.skip();
    }
  }
  return { step, entries };
}

function readValue(value: ProtoReader): SummaryEntry {
  let tag = '';
  let nodeName = '';
  let plugin: string | null = null;
  let scalar: number | null = null;
  let isOtherKind = false;
  while (value.next()) {
    const { field, wire } = value;
    if (field === VALUE_TAG && wire === WIRE_LENGTH) tag = value.string();
    else if (field === VALUE_NODE_NAME && wire === WIRE_LENGTH) nodeName = value.string();
    else if (field === VALUE_SIMPLE && wire === WIRE_FIXED32) scalar = value.float32();
    else if (field === VALUE_TENSOR && wire === WIRE_LENGTH) scalar = readScalarTensor(value.message());
    else if (field === VALUE_METADATA && wire === WIRE_LENGTH) plugin = readPluginName(value.message());
    else {
      // Fields 3 to 6 are the old image, histogram and audio forms: not scalars.
      if (field >= 3 && field <= 6) isOtherKind = true;
      value.skip();
    }
  }
  return { tag: tag || nodeName, plugin, value: isOtherKind ? null : scalar };
}

function readPluginName(metadata: ProtoReader): string {
  let name = '';
  while (metadata.next()) {
    if (metadata.field === METADATA_PLUGIN_DATA && metadata.wire === WIRE_LENGTH) {
      const pluginData = metadata.message();
      while (pluginData.next()) {
        if (pluginData.field === PLUGIN_NAME && pluginData.wire === WIRE_LENGTH) name = pluginData.string();
        else pluginData.skip();
      }
    } else metadata.skip();
  }
  return name;
}

/** The value of a one-element numeric TensorProto, or null for any other tensor. */
function readScalarTensor(tensor: ProtoReader): number | null {
  let dtype = 0;
  let elements = 1;
  let content: Uint8Array | null = null;
  const listed: number[] = [];
  const fields: { field: number; wire: number; at: number }[] = [];
  while (tensor.next()) {
    if (tensor.field === TENSOR_DTYPE && tensor.wire === WIRE_VARINT) dtype = tensor.uint64();
    else if (tensor.field === TENSOR_SHAPE && tensor.wire === WIRE_LENGTH) elements = shapeElements(tensor.message());
    else if (tensor.field === TENSOR_CONTENT && tensor.wire === WIRE_LENGTH) content = tensor.bytesField();
    else {
      // The typed value lists depend on dtype, which may come later: note them and reread.
      fields.push({ field: tensor.field, wire: tensor.wire, at: tensor.pos });
      tensor.skip();
    }
  }

  const layout = TENSOR_VALUE_FIELD.get(dtype);
  if (layout === undefined || elements !== 1) return null;
  if (content !== null) return readContent(content, dtype, layout.bytes);
  for (const noted of fields) {
    if (noted.field !== layout.field) continue;
    tensor.pos = noted.at;
    tensor.wire = noted.wire;
    readListed(tensor, dtype, listed);
    if (listed.length > 0) return listed[0];
  }
  // TensorFlow fills a tensor that lists no values with zeros (MakeNdarray does the same).
  return 0;
}

function shapeElements(shape: ProtoReader): number {
  let elements = 1;
  while (shape.next()) {
    if (shape.field === SHAPE_DIM && shape.wire === WIRE_LENGTH) {
      const dim = shape.message();
      while (dim.next()) {
        if (dim.field === DIM_SIZE && dim.wire === WIRE_VARINT) elements *= dim.int64();
        else dim.skip();
      }
    } else shape.skip();
  }
  return elements;
}

/** Appends the values of one (packed or single) typed value field at `tensor.pos` to `out`. */
function readListed(tensor: ProtoReader, dtype: number, out: number[]): void {
  const readOne = (): number => {
    if (dtype === DT_FLOAT) return tensor.float32();
    if (dtype === DT_DOUBLE) return tensor.float64();
    const bits = tensor.int64();
    if (dtype === DT_HALF) return halfBitsToFloat(bits & 0xffff);
    if (dtype === DT_BFLOAT16) return bfloat16ToFloat(bits & 0xffff);
    return dtype === DT_BOOL ? (bits === 0 ? 0 : 1) : bits;
  };
  if (tensor.wire !== WIRE_LENGTH) {
    out.push(readOne());
    return;
  }
  const end = tensor.lengthDelimitedEnd();
  while (tensor.pos < end) out.push(readOne());
}

/** The first element of raw little-endian `tensor_content` bytes, or null when too short. */
function readContent(content: Uint8Array, dtype: number, width: number): number | null {
  if (content.length < width) return null;
  const view = new DataView(content.buffer, content.byteOffset, content.byteLength);
  if (dtype === DT_FLOAT) return view.getFloat32(0, true);
  if (dtype === DT_DOUBLE) return view.getFloat64(0, true);
  if (dtype === DT_HALF) return halfBitsToFloat(view.getUint16(0, true));
  if (dtype === DT_BFLOAT16) return bfloat16ToFloat(view.getUint16(0, true));
  if (dtype === DT_BOOL) return view.getUint8(0) === 0 ? 0 : 1;
  if (dtype === DT_INT32) return view.getInt32(0, true);
  return view.getInt32(4, true) * 2 ** 32 + view.getUint32(0, true);
}

function bfloat16ToFloat(bits: number): number {
  const scratch = new DataView(new ArrayBuffer(4));
  scratch.setUint32(0, bits << 16);
  return scratch.getFloat32(0);
}
