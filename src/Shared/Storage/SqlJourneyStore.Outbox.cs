using System.Data.Common;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <content>The transactional outbox: reading, acknowledging, recording failed deliveries and the backlog.</content>
internal sealed partial class SqlJourneyStore
{
    protected override Task<IReadOnlyList<OutboxEntry>> ReadOutboxCoreAsync(int maxCount, bool includeAcknowledged, CancellationToken cancellationToken) =>
        ReadOutboxEntriesAsync(includeAcknowledged ? string.Empty : "WHERE acked_ticks IS NULL ", maxCount, cancellationToken);

    protected override Task<IReadOnlyList<OutboxEntry>> ReadDeliverableOutboxCoreAsync(int maxCount, CancellationToken cancellationToken) =>
        ReadOutboxEntriesAsync("WHERE acked_ticks IS NULL AND parked_ticks IS NULL ", maxCount, cancellationToken);

    protected override async Task<bool> RecordOutboxFailureCoreAsync(long id, string errorText, DateTimeOffset nextAttemptAt, bool park, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(
                connection,
                null,
                "UPDATE funnel_outbox SET attempts = attempts + 1, last_error = @error, " +
                (park ? "parked_ticks = @t, parked_offset = @o " : "next_attempt_ticks = @t, next_attempt_offset = @o ") +
                "WHERE id = @id AND acked_ticks IS NULL AND parked_ticks IS NULL")
                .With("@error", errorText)
                .With("@t", nextAttemptAt.UtcTicks)
                .With("@o", Sql.OffsetMinutes(nextAttemptAt))
                .With("@id", id);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }
        }
    }

    protected override async Task<OutboxStatus> GetOutboxStatusCoreAsync(CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(
                connection,
                null,
                "SELECT (SELECT COUNT(*) FROM funnel_outbox WHERE acked_ticks IS NULL AND parked_ticks IS NULL), " +
                "(SELECT COUNT(*) FROM funnel_outbox WHERE acked_ticks IS NULL AND parked_ticks IS NOT NULL), " +
                "(SELECT created_ticks FROM funnel_outbox WHERE acked_ticks IS NULL AND parked_ticks IS NULL ORDER BY id LIMIT 1), " +
                "(SELECT created_offset FROM funnel_outbox WHERE acked_ticks IS NULL AND parked_ticks IS NULL ORDER BY id LIMIT 1)");
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    DateTimeOffset? oldest = reader.IsDBNull(2) ? null : Sql.ToTime(reader.GetInt64(2), reader.GetInt32(3));
                    return new OutboxStatus(reader.GetInt64(0), reader.GetInt64(1), oldest);
                }
            }
        }
    }

    private async Task<IReadOnlyList<OutboxEntry>> ReadOutboxEntriesAsync(string where, int maxCount, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = Sql.Command(
                connection,
                null,
                "SELECT id, journey_id, journey_version, type, payload, created_ticks, created_offset, acked_ticks, acked_offset, " +
                "attempts, last_error, next_attempt_ticks, next_attempt_offset, parked_ticks, parked_offset FROM funnel_outbox " +
                where + "ORDER BY id LIMIT @limit").With("@limit", maxCount);
            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    var entries = new List<OutboxEntry>();
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var message = new OutboxMessage(reader.GetString(3), reader.GetString(4), Sql.ToTime(reader.GetInt64(5), reader.GetInt32(6)));
                        entries.Add(new OutboxEntry(
                            reader.GetInt64(0),
                            reader.GetString(1),
                            reader.GetInt64(2),
                            message,
                            NullableTime(reader, 7),
                            reader.GetInt32(9),
                            reader.GetNullableString(10),
                            NullableTime(reader, 11),
                            NullableTime(reader, 13)));
                    }

                    return entries;
                }
            }
        }
    }

    private static DateTimeOffset? NullableTime(DbDataReader reader, int ticksOrdinal) =>
        reader.IsDBNull(ticksOrdinal) ? null : Sql.ToTime(reader.GetInt64(ticksOrdinal), reader.GetInt32(ticksOrdinal + 1));

    protected override async Task<int> AcknowledgeOutboxCoreAsync(IReadOnlyList<long> ids, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var changed = 0;
                foreach (var chunk in ids.Chunk(InListChunk))
                {
                    var command = Sql.Command(
                        connection,
                        transaction,
                        "UPDATE funnel_outbox SET acked_ticks = @t, acked_offset = @o WHERE acked_ticks IS NULL AND id IN (" + InList("@i", chunk.Length) + ")")
                        .With("@t", acknowledgedAt.UtcTicks)
                        .With("@o", Sql.OffsetMinutes(acknowledgedAt));
                    for (var i = 0; i < chunk.Length; i++)
                    {
                        command.With(Sql.Name("@i", i), chunk[i]);
                    }

                    await using (command.ConfigureAwait(false))
                    {
                        changed += await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                    }
                }

                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return changed;
            }
        }
    }
}
