using System.Numerics;
using System.Text;
using Apache.Arrow;
using Apache.Arrow.Types;

namespace Funnel.Formats.Arrow;

/// <summary>How an Arrow field is classified, and how a record batch's array is read into a <see cref="ColumnView"/>.</summary>
internal static class ArrowColumns
{
    public enum Shape
    {
        Integer,
        Text,
        Timestamp,
        Other,
    }

    public static Shape Classify(IArrowType type) => type switch
    {
        TimestampType => Shape.Timestamp,
        Int8Type or Int16Type or Int32Type or Int64Type or UInt8Type or UInt16Type or UInt32Type or UInt64Type => Shape.Integer,
        StringType or LargeStringType or StringViewType => Shape.Text,
        DictionaryType { ValueType: StringType or LargeStringType or StringViewType, IndexType: IntegerType } => Shape.Text,
        _ => Shape.Other,
    };

    public static string Describe(IArrowType type) => type switch
    {
        TimestampType time => $"timestamp[{Unit(time.Unit)}{(string.IsNullOrEmpty(time.Timezone) ? "" : ", " + time.Timezone)}]",
        DictionaryType dictionary => $"dictionary<values={Describe(dictionary.ValueType)}, indices={Describe(dictionary.IndexType)}>",
        _ => type.Name,
    };

    public static ColumnView View(IArrowArray array) => array switch
    {
        TimestampArray time => new TimestampView(time, UnitsPerSecond(((TimestampType)time.Data.DataType).Unit)),
        Int64Array a => new IntegerView<long>(a),
        Int32Array a => new IntegerView<int>(a),
        Int16Array a => new IntegerView<short>(a),
        Int8Array a => new IntegerView<sbyte>(a),
        UInt64Array a => new IntegerView<ulong>(a),
        UInt32Array a => new IntegerView<uint>(a),
        UInt16Array a => new IntegerView<ushort>(a),
        UInt8Array a => new IntegerView<byte>(a),
        StringArray a => new Utf8View(a, a.GetBytes),
        LargeStringArray a => new Utf8View(a, a.GetBytes),
        StringViewArray a => new Utf8View(a, a.GetBytes),
        DictionaryArray a => new DictionaryView(a),
        _ => throw new InvalidOperationException($"Unreachable: the array type {array.Data.DataType.Name} was not classified as readable."),
    };

    private static string Unit(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => "s",
        TimeUnit.Millisecond => "ms",
        TimeUnit.Microsecond => "us",
        _ => "ns",
    };

    private static long UnitsPerSecond(TimeUnit unit) => unit switch
    {
        TimeUnit.Second => 1,
        TimeUnit.Millisecond => 1_000,
        TimeUnit.Microsecond => 1_000_000,
        _ => 1_000_000_000,
    };

    private delegate ReadOnlySpan<byte> BytesAt(int row);

    private sealed class IntegerView<T>(PrimitiveArray<T> array) : ColumnView
        where T : struct, IBinaryInteger<T>
    {
        public override ColumnKind Kind => ColumnKind.Integer;

        public override bool IsNull(int row) => array.IsNull(row);

        public override bool TryGetInteger(int row, out long value)
        {
            var v = array.Values[row];
            value = long.CreateSaturating(v);
            return typeof(T) != typeof(ulong) || T.CreateSaturating(value) == v;
        }
    }

    /// <summary>Raw int64 counts of the unit since the epoch, floored to whole seconds: exact, whatever the unit.</summary>
    private sealed class TimestampView(TimestampArray array, long unitsPerSecond) : ColumnView
    {
        public override ColumnKind Kind => ColumnKind.Integer;

        public override bool IsNull(int row) => array.IsNull(row);

        public override bool TryGetInteger(int row, out long value)
        {
            value = TimeConversion.FloorToSeconds(array.Values[row], unitsPerSecond);
            return true;
        }
    }

    /// <summary>UTF-8 values decoded into one reusable buffer.</summary>
    private sealed class Utf8View(IArrowArray array, BytesAt bytesAt) : ColumnView
    {
        private char[] _buffer = new char[64];

        public override ColumnKind Kind => ColumnKind.Text;

        public override bool IsNull(int row) => array.IsNull(row);

        public override ReadOnlySpan<char> GetText(int row)
        {
            var bytes = bytesAt(row);
            if (_buffer.Length < bytes.Length)
            {
                _buffer = new char[Math.Max(bytes.Length, _buffer.Length * 2)];
            }

            var length = Encoding.UTF8.GetChars(bytes, _buffer);
            return _buffer.AsSpan(0, length);
        }
    }

    /// <summary>Dictionary-encoded text (pandas categoricals): the dictionary is decoded once per batch.</summary>
    private sealed class DictionaryView : ColumnView
    {
        private readonly DictionaryArray _array;
        private readonly ColumnView _indices;
        private readonly string?[] _values;

        public DictionaryView(DictionaryArray array)
        {
            _array = array;
            _indices = View(array.Indices);
            var dictionary = View(array.Dictionary);
            _values = new string?[array.Dictionary.Length];
            for (var i = 0; i < _values.Length; i++)
            {
                _values[i] = dictionary.IsNull(i) ? null : dictionary.GetText(i).ToString();
            }
        }

        public override ColumnKind Kind => ColumnKind.Text;

        public override bool IsNull(int row) => _array.IsNull(row) || Value(row) is null;

        public override ReadOnlySpan<char> GetText(int row) => Value(row);

        private string? Value(int row) =>
            _indices.TryGetInteger(row, out var index) && index >= 0 && index < _values.Length
                ? _values[index]
                : throw new InvalidDataException($"The dictionary index at row {row} is outside the dictionary of {_values.Length} values.");
    }
}
