import { temporal } from '@temporalio/proto';

const History = temporal.api.history.v1.History;

// historyToJSON of @temporalio/common fails in this install ("type must be a Type": two copies of
// protobufjs), so histories are stored as the plain-object form of @temporalio/proto's own type.
const toObjectOptions = { longs: String, enums: String, bytes: String, defaults: false } as const;

export function serialiseHistory(history: temporal.api.history.v1.IHistory): string {
  return JSON.stringify(History.toObject(History.fromObject(history), toObjectOptions), null, 1);
}

export function deserialiseHistory(json: string): temporal.api.history.v1.History {
  return History.fromObject(JSON.parse(json));
}
