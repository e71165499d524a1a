using System.Numerics;

namespace Funnel.Formats;

/// <summary>An integer column held as an array of nullable values.</summary>
internal sealed class NullableIntegerView<T>(T?[] values) : ColumnView
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
}

/// <summary>A text column held as an array of nullable strings.</summary>
internal sealed class StringArrayView(string?[] values) : ColumnView
{
    public override ColumnKind Kind => ColumnKind.Text;

    public override bool IsNull(int row) => values[row] is null;

    public override ReadOnlySpan<char> GetText(int row) => values[row];
}

/// <summary>A timestamp column held as an array of nullable <see cref="DateTime"/>s, read as whole Unix seconds (floored).</summary>
internal sealed class DateTimeSecondsView(DateTime?[] values) : ColumnView
{
    public override ColumnKind Kind => ColumnKind.Integer;

    public override bool IsNull(int row) => values[row] is null;

    public override bool TryGetInteger(int row, out long value)
    {
        value = TimeConversion.FloorToSeconds(values[row]!.Value);
        return true;
    }
}
