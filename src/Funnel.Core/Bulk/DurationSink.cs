namespace Funnel.Core.Bulk;

/// <summary>
/// The segment of <c>uint</c> durations one stage is appending to: <c>Array[Start..Position]</c> is filled, and
/// writes may go on up to <c>Limit</c>. Full segments are handed over as read-only slices.
/// </summary>
internal struct DurationSink
{
    public uint[] Array;
    public int Start;
    public int Position;
    public int Limit;

    public readonly ReadOnlyMemory<uint> Filled => Array.AsMemory(Start, Position - Start);
}
