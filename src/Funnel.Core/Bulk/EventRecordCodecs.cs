using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Funnel.Core.Bulk;

/// <summary>One event as the engine reads it after partitioning by entity, in full (16 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct EventRecord
{
    public int Entity;
    public short Stage;
    public short Reason;
    public long Time;
}

/// <summary>
/// How the kernel reads a partitioned event. Implemented by structs, so that the JIT compiles the kernel once per
/// record layout with every call inlined.
/// </summary>
/// <typeparam name="TRecord">The record type of the partition buffer.</typeparam>
internal interface IRecordCodec<TRecord>
    where TRecord : unmanaged
{
    /// <summary>The index of the event's entity in the state array the kernel is given.</summary>
    int StateIndex(in TRecord record);

    /// <summary>The entity id (for error messages).</summary>
    int Entity(in TRecord record);

    int Stage(in TRecord record);

    /// <summary>The loss-reason ordinal + 1: 0 for an entry event.</summary>
    int ReasonSlot(in TRecord record);

    long Time(in TRecord record);
}

/// <summary>Reads <see cref="EventRecord"/>s; state index = entity id - <c>firstId</c>.</summary>
internal readonly struct WideCodec(int firstId) : IRecordCodec<EventRecord>
{
    private readonly int _firstId = firstId;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int StateIndex(in EventRecord record) => unchecked(record.Entity - _firstId);

    public int Entity(in EventRecord record) => record.Entity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Stage(in EventRecord record) => record.Stage;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReasonSlot(in EventRecord record) => unchecked(record.Reason + 1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Time(in EventRecord record) => record.Time;
}

/// <summary>
/// An event packed into 8 bytes: from the low bits up, the entity id's offset in its bucket,
/// the stage, the loss-reason slot and the time since <see cref="TransitionLog.MinTimestamp"/> (39 bits cover every
/// valid timestamp). Half the bytes of <see cref="EventRecord"/> to scatter and read back.
/// </summary>
internal readonly struct PackedCodec : IRecordCodec<ulong>
{
    private const int TimeBits = 39;

    private readonly int _bucketShift;
    private readonly int _idMask;
    private readonly int _reasonShift;
    private readonly int _timeShift;
    private readonly int _stageMask;
    private readonly int _reasonMask;
    private readonly int _firstId;
    private readonly int _stateOffset;

    private PackedCodec(int bucketShift, int stageBits, int reasonBits, int firstId, int stateOffset)
    {
        _bucketShift = bucketShift;
        _idMask = (1 << bucketShift) - 1;
        _reasonShift = bucketShift + stageBits;
        _timeShift = bucketShift + stageBits + reasonBits;
        _stageMask = (1 << stageBits) - 1;
        _reasonMask = (1 << reasonBits) - 1;
        _firstId = firstId;
        _stateOffset = stateOffset;
    }

    /// <summary>Returns a codec for buckets of 2^<paramref name="bucketShift"/> ids, or false when the fields do not fit 64 bits.</summary>
    public static bool TryCreate(int bucketShift, int stageCount, int lossReasonCount, out PackedCodec codec)
    {
        var stageBits = 32 - BitOperations.LeadingZeroCount((uint)(stageCount - 1));
        var reasonBits = 32 - BitOperations.LeadingZeroCount((uint)lossReasonCount);
        codec = new PackedCodec(bucketShift, stageBits, reasonBits, 0, 0);
        return bucketShift + stageBits + reasonBits + TimeBits <= 64;
    }

    /// <summary>The codec for one bucket: ids from <paramref name="firstId"/>, states from index <paramref name="stateOffset"/>.</summary>
    public PackedCodec ForBucket(int firstId, int stateOffset) =>
        new(_bucketShift, _reasonShift - _bucketShift, _timeShift - _reasonShift, firstId, stateOffset);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong Pack(int entity, short stage, short reason, long time) => unchecked(
        ((ulong)(time - TransitionLog.MinTimestamp) << _timeShift)
        | ((ulong)(uint)(reason + 1) << _reasonShift)
        | ((ulong)(uint)stage << _bucketShift)
        | (uint)(entity & _idMask));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int StateIndex(in ulong record) => unchecked(((int)record & _idMask) + _stateOffset);

    public int Entity(in ulong record) => unchecked(((int)record & _idMask) + _firstId);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Stage(in ulong record) => unchecked((int)(record >> _bucketShift) & _stageMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int ReasonSlot(in ulong record) => unchecked((int)(record >> _reasonShift) & _reasonMask);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long Time(in ulong record) => unchecked((long)(record >> _timeShift) + TransitionLog.MinTimestamp);
}
