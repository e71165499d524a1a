using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>
/// Collects stored rows into <see cref="EventLogChunk"/>s of a fixed size for the event-log readers (SQLite,
/// PostgreSQL, ClickHouse), checking each row's ordinals against the definition.
/// </summary>
internal sealed class EventChunkBuffer
{
    private readonly FunnelDefinition _definition;
    private readonly int _chunkSize;
    private readonly string _where;
    private string[] _ids = [];
    private int[] _stages = [];
    private long[] _times = [];
    private int[] _reasons = [];
    private string?[] _segments = [];
    private int _count;
    private long _position;

    /// <param name="definition">The funnel whose log is read.</param>
    /// <param name="chunkSize">Rows per chunk.</param>
    /// <param name="where">Where the rows come from, for error messages (empty, or a phrase such as " in table t on server s").</param>
    public EventChunkBuffer(FunnelDefinition definition, int chunkSize, string where = "")
    {
        _definition = definition;
        _chunkSize = chunkSize;
        _where = where;
        Reset();
    }

    /// <summary>Gets whether the current chunk holds <c>chunkSize</c> rows.</summary>
    public bool IsFull => _count == _chunkSize;

    /// <summary>Adds one stored row.</summary>
    /// <exception cref="FunnelStorageException">The stage or reason ordinal is outside the definition.</exception>
    public void Add(string entityId, int stage, long timestamp, int reason, string? segment)
    {
        if ((uint)stage >= (uint)_definition.Stages.Length || reason >= _definition.LossReasons.Length || reason < -1)
        {
            throw new FunnelStorageException(
                $"Stored event {_position + _count} of funnel '{_definition.Key}'{_where} has stage ordinal {stage} and reason ordinal {reason}, outside the definition ({_definition.Stages.Length} stages, {_definition.LossReasons.Length} reasons).");
        }

        _ids[_count] = entityId;
        _stages[_count] = stage;
        _times[_count] = timestamp;
        _reasons[_count] = reason;
        _segments[_count] = segment;
        _count++;
    }

    /// <summary>Hands over the rows added since the last call as a chunk (<see langword="null"/> when there are none) and starts the next.</summary>
    public EventLogChunk? Take()
    {
        if (_count == 0)
        {
            return null;
        }

        var chunk = new EventLogChunk(_definition, _position, _ids, _stages, _times, _reasons, _segments, _count);
        _position += _count;
        Reset();
        return chunk;
    }

    private void Reset()
    {
        _ids = new string[_chunkSize];
        _stages = new int[_chunkSize];
        _times = new long[_chunkSize];
        _reasons = new int[_chunkSize];
        _segments = new string?[_chunkSize];
        _count = 0;
    }
}
