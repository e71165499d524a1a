using System.Buffers;
using System.Numerics;

namespace Funnel.Formats;

/// <summary>An integer column held as an array of nullable values rented from <see cref="ArrayPool{T}.Shared"/>, returned by <see cref="Dispose"/>.</summary>
internal sealed class NullableIntegerView<T>(T?[] values) : ColumnView, IDisposable
    where T : struct, IBinaryInteger<T>
{
    public override ColumnKind Kind => ColumnKind.Integer;

    public override bool IsNull(int row) => values[row] is null;

    public override bool TryGetInteger(int row, out long value)
    {
        var v = values[row]!.Value;
        value = long.CreateSaturating(v);
        return typeof(T) != typeof(ulong) || T.CreateSaturating(value) == v;
    }

    public override void ReadIntegers(Span<long> output, Span<byte> states)
    {
        var input = values.AsSpan(0, output.Length);
        for (var row = 0; row < input.Length; row++)
        {
            if (input[row] is { } v)
            {
                var value = long.CreateSaturating(v);
                output[row] = value;
                states[row] = typeof(T) != typeof(ulong) || T.CreateSaturating(value) == v ? (byte)0 : IntegerTooLarge;
            }
            else
            {
                output[row] = 0;
                states[row] = IntegerNull;
            }
        }
    }

    public void Dispose() => ArrayPool<T?>.Shared.Return(values);
}

/// <summary>
/// A timestamp column held as an array of nullable <see cref="DateTime"/>s rented from <see cref="ArrayPool{T}.Shared"/>
/// (returned by <see cref="Dispose"/>), read as whole Unix seconds (floored).
/// </summary>
internal sealed class DateTimeSecondsView(DateTime?[] values) : ColumnView, IDisposable
{
    public override ColumnKind Kind => ColumnKind.Integer;

    public override bool IsNull(int row) => values[row] is null;

    public override bool TryGetInteger(int row, out long value)
    {
        value = TimeConversion.FloorToSeconds(values[row]!.Value);
        return true;
    }

    public override void ReadIntegers(Span<long> output, Span<byte> states)
    {
        var input = values.AsSpan(0, output.Length);
        for (var row = 0; row < input.Length; row++)
        {
            if (input[row] is { } v)
            {
                output[row] = TimeConversion.FloorToSeconds(v);
                states[row] = 0;
            }
            else
            {
                output[row] = 0;
                states[row] = IntegerNull;
            }
        }
    }

    public void Dispose() => ArrayPool<DateTime?>.Shared.Return(values);
}
