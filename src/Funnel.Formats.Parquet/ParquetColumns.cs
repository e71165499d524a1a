using System.Buffers;
using Parquet;
using Parquet.Schema;

namespace Funnel.Formats.Parquet;

/// <summary>How a top-level Parquet column is classified, and how its values are read into a <see cref="ColumnView"/>.</summary>
internal static class ParquetColumns
{
    public enum Shape
    {
        Integer,
        Text,
        Timestamp,
        Other,
    }

    public static Shape Classify(Field field) => field switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => Shape.Other,
        DateTimeDataField => Shape.Timestamp,
        DataField { IsArray: true } => Shape.Other,
        DataField data when IsInteger(data.ClrType) => Shape.Integer,
        DataField data when data.ClrType == typeof(string) || data.ClrType == typeof(ReadOnlyMemory<char>) => Shape.Text,
        _ => Shape.Other,
    };

    public static string Describe(Field field) => field switch
    {
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => "DATE",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.Impala } => "TIMESTAMP (INT96)",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.DateAndTime } => "TIMESTAMP (MILLIS)",
        DateTimeDataField { DateTimeFormat: DateTimeFormat.DateAndTimeMicros } => "TIMESTAMP (MICROS)",
        DateTimeDataField time => $"TIMESTAMP ({time.Unit.ToString().ToUpperInvariant()})",
        DataField { IsArray: true } => "LIST",
        DataField data => data.ClrType switch
        {
            var t when t == typeof(long) => "INT64",
            var t when t == typeof(int) => "INT32",
            var t when t == typeof(short) => "INT16",
            var t when t == typeof(sbyte) => "INT8",
            var t when t == typeof(ulong) => "UINT64",
            var t when t == typeof(uint) => "UINT32",
            var t when t == typeof(ushort) => "UINT16",
            var t when t == typeof(byte) => "UINT8",
            var t when t == typeof(string) || t == typeof(ReadOnlyMemory<char>) => "STRING",
            var t when t == typeof(double) => "DOUBLE",
            var t when t == typeof(float) => "FLOAT",
            var t when t == typeof(bool) => "BOOLEAN",
            var t when t == typeof(decimal) => "DECIMAL",
            var t when t == typeof(byte[]) => "BINARY",
            var t => t.Name,
        },
        _ => field.SchemaType.ToString().ToUpperInvariant(),
    };

    public static async Task<ColumnView> ReadAsync(Stream stream, ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken cancellationToken)
    {
        switch (Classify(field))
        {
            case Shape.Timestamp:
            {
                var values = ArrayPool<DateTime?>.Shared.Rent(rows);
                await ReadNullableAsync(rowGroup, field, values, rows, cancellationToken).ConfigureAwait(false);
                return new DateTimeSecondsView(values);
            }

            case Shape.Text:
            {
                // The common case: a flat chunk read straight from the file as UTF-8, without an object per value.
                if (await Utf8ChunkReader.TryReadAsync(stream, field, rowGroup.GetMetadata(field), rows, cancellationToken).ConfigureAwait(false) is { } utf8)
                {
                    return utf8;
                }

                // Anything else as Parquet.Net reads it. The raw values, not strings: Parquet.Net hands a dictionary-encoded column over as references to its
                // dictionary entries, and a string per row would cost more than reading the column.
                var values = ArrayPool<ReadOnlyMemory<char>>.Shared.Rent(rows);
                var levels = field.MaxDefinitionLevel > 0 ? ArrayPool<int>.Shared.Rent(rows) : null;
                await rowGroup.ReadRawAsync<ReadOnlyMemory<char>>(field, values, levels, null, cancellationToken).ConfigureAwait(false);
                return new CharMemoryView(values, levels, rows, field.MaxDefinitionLevel);
            }

            default:
                return field.ClrType switch
                {
                    var t when t == typeof(long) => await ReadIntegersAsync<long>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(int) => await ReadIntegersAsync<int>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(short) => await ReadIntegersAsync<short>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(sbyte) => await ReadIntegersAsync<sbyte>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(ulong) => await ReadIntegersAsync<ulong>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(uint) => await ReadIntegersAsync<uint>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(ushort) => await ReadIntegersAsync<ushort>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    var t when t == typeof(byte) => await ReadIntegersAsync<byte>(rowGroup, field, rows, cancellationToken).ConfigureAwait(false),
                    _ => throw new InvalidOperationException($"Unreachable: column '{field.Name}' was classified as an integer column."),
                };
        }
    }

    private static bool IsInteger(Type type) =>
        type == typeof(long) || type == typeof(int) || type == typeof(short) || type == typeof(sbyte)
        || type == typeof(ulong) || type == typeof(uint) || type == typeof(ushort) || type == typeof(byte);

    private static async Task<ColumnView> ReadIntegersAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int rows, CancellationToken cancellationToken)
        where T : struct, System.Numerics.IBinaryInteger<T>
    {
        var values = ArrayPool<T?>.Shared.Rent(rows);
        await ReadNullableAsync(rowGroup, field, values, rows, cancellationToken).ConfigureAwait(false);
        return new NullableIntegerView<T>(values);
    }

    /// <summary>
    /// Reads a column into nullable values. A required column (no definition level) is read as plain values: Parquet.Net
    /// 6.1.0 reads it through the nullable overload with definition levels it rents and never fills, so a stale
    /// negative number left in the shared pool would read as a null.
    /// </summary>
    private static async Task ReadNullableAsync<T>(ParquetRowGroupReader rowGroup, DataField field, T?[] values, int rows, CancellationToken cancellationToken)
        where T : struct
    {
        if (field.MaxDefinitionLevel > 0)
        {
            await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, cancellationToken).ConfigureAwait(false);
            return;
        }

        var plain = ArrayPool<T>.Shared.Rent(rows);
        try
        {
            await rowGroup.ReadAsync<T>(field, plain.AsMemory(0, rows), null, cancellationToken).ConfigureAwait(false);
            for (var row = 0; row < rows; row++)
            {
                values[row] = plain[row];
            }
        }
        finally
        {
            ArrayPool<T>.Shared.Return(plain);
        }
    }

    /// <summary>
    /// A text column as Parquet.Net decodes it: the non-null values in order, placed on their rows by the definition
    /// levels (a row whose level is below the column's maximum is null). Both arrays are rented from
    /// <see cref="ArrayPool{T}.Shared"/> (a row group's columns are large objects; allocating them anew for each group
    /// costs full collections) and returned by <see cref="Dispose"/>.
    /// </summary>
    private sealed class CharMemoryView : ColumnView, IDisposable
    {
        private readonly ReadOnlyMemory<char>[] _values;
        private readonly int[]? _levels;
        private readonly bool _anyNull;

        public CharMemoryView(ReadOnlyMemory<char>[] values, int[]? levels, int rows, int maxLevel)
        {
            _values = values;
            _levels = levels;
            if (levels is null)
            {
                return;
            }

            // Turn the levels into the index of each row's value, -1 for null, in place (each level is read before its slot is written).
            var next = 0;
            for (var row = 0; row < rows; row++)
            {
                if (levels[row] < maxLevel)
                {
                    levels[row] = -1;
                    _anyNull = true;
                }
                else
                {
                    levels[row] = next++;
                }
            }
        }

        public override ColumnKind Kind => ColumnKind.Text;

        public override bool IsNull(int row) => _anyNull && _levels![row] < 0;

        public override ReadOnlySpan<char> GetText(int row) => _values[_anyNull ? _levels![row] : row].Span;

        public void Dispose()
        {
            ArrayPool<ReadOnlyMemory<char>>.Shared.Return(_values, clearArray: true);
            if (_levels is not null)
            {
                ArrayPool<int>.Shared.Return(_levels);
            }
        }
    }
}
