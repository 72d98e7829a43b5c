// Records' times are SpanLogFormat's `RecordTime`, the one time type of the on-disk format;
// users of SpanLogReader name it without importing the format module.
@_exported public import SpanLogFormat
