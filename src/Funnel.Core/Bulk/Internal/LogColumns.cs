namespace Funnel.Core.Bulk;

/// <summary>The columns of a <see cref="TransitionLog"/> being built: rows are written in place, then the arrays are wrapped without a copy.</summary>
/// <remarks>Not thread-safe as a whole; the CSV chunks write disjoint rows of it in parallel.</remarks>
internal sealed class LogColumns(int[] entities, short[] stages, long[] times, short[] reasons, int[]? segments)
{
    /// <summary>Creates uninitialised columns of <paramref name="length"/> rows (pages never written are never touched).</summary>
    public LogColumns(int length, bool withSegments)
        : this(
            GC.AllocateUninitializedArray<int>(length),
            GC.AllocateUninitializedArray<short>(length),
            GC.AllocateUninitializedArray<long>(length),
            GC.AllocateUninitializedArray<short>(length),
            withSegments ? GC.AllocateUninitializedArray<int>(length) : null)
    {
    }

    public int[] Entities { get; } = entities;

    public short[] Stages { get; } = stages;

    public long[] Times { get; } = times;

    public short[] Reasons { get; } = reasons;

    public int[]? Segments { get; } = segments;

    /// <summary>Copies <paramref name="count"/> rows from row <paramref name="from"/> of <paramref name="source"/> to row <paramref name="to"/> of these columns (overlap allowed).</summary>
    public void CopyFrom(LogColumns source, int from, int to, int count)
    {
        source.Entities.AsSpan(from, count).CopyTo(Entities.AsSpan(to));
        source.Stages.AsSpan(from, count).CopyTo(Stages.AsSpan(to));
        source.Times.AsSpan(from, count).CopyTo(Times.AsSpan(to));
        source.Reasons.AsSpan(from, count).CopyTo(Reasons.AsSpan(to));
        if (Segments is not null)
        {
            source.Segments.AsSpan(from, count).CopyTo(Segments.AsSpan(to));
        }
    }
}
