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

    public void Dispose() => ArrayPool<DateTime?>.Shared.Return(values);
}
