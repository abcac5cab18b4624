/**
 * Small builders of ONNX protobuf parts (attributes, tensor types) shared by the exporter and
 * the families' own ONNX nodes. Written with onnx-proto.
 */
import { onnx } from 'onnx-proto';

export const DOUBLE = onnx.TensorProto.DataType.DOUBLE;
export const FLOAT = onnx.TensorProto.DataType.FLOAT;
export const STRING = onnx.TensorProto.DataType.STRING;
export const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;
export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export type AttrValue = number | string | number[] | string[] | { doubles: number[] };

export function attr(name: string, value: AttrValue, integer = false): onnx.IAttributeProto {
  if (typeof value === 'string') return { name, type: A.STRING, s: utf8(value) };
  if (typeof value === 'number')
    return integer ? { name, type: A.INT, i: value } : { name, type: A.FLOAT, f: value };
  if (!Array.isArray(value))
    return {
      name,
      type: A.TENSOR,
      t: { dataType: DOUBLE, dims: [value.doubles.length], doubleData: value.doubles },
    };
  if (value.length > 0 && typeof value[0] === 'string')
    return { name, type: A.STRINGS, strings: (value as string[]).map(utf8) };
  return integer
    ? { name, type: A.INTS, ints: value as number[] }
    : { name, type: A.FLOATS, floats: value as number[] };
}

export function tensorInfo(
  name: string,
  elemType: number,
  dims: (number | string)[],
): onnx.IValueInfoProto {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: {
          dim: dims.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })),
        },
      },
    },
  };
}
