using System.Collections.Immutable;
using System.Data.Common;
using System.Text;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>The journey store over ADO.NET, shared by the SQLite and PostgreSQL adapters. Every value is a parameter.</summary>
internal sealed class SqlJourneyEngine
{
    private const int InListChunk = 500;
    private const string JourneyColumns =
        "j.id, j.funnel_key, j.stage, j.status, j.loss_reason, j.entered_ticks, j.entered_offset, j.changed_ticks, j.changed_offset, j.closed_ticks, j.closed_offset, j.version";

    private readonly SqlDialect _dialect;
    private readonly Func<string, string, FunnelDefinition> _resolve;

    public SqlJourneyEngine(SqlDialect dialect, Func<string, string, FunnelDefinition> resolve)
    {
        _dialect = dialect;
        _resolve = resolve;
    }

    public async Task<JourneySaveResult> InsertAsync(Journey journey, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var insert = Sql.Command(
                    connection,
                    transaction,
                    "INSERT INTO funnel_journeys (id, funnel_key, stage, status, loss_reason, entered_ticks, entered_offset, changed_ticks, changed_offset, closed_ticks, closed_offset, version) " +
                    "VALUES (@id, @funnel, @stage, @status, @reason, @et, @eo, @ct, @co, @xt, @xo, @version) ON CONFLICT (id) DO NOTHING");
                int inserted;
                await using (insert.ConfigureAwait(false))
                {
                    inserted = await JourneyValues(insert, journey).With("@funnel", journey.Definition.Key)
                        .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (inserted == 0)
                {
                    var stored = await ReadVersionAsync(connection, transaction, journey.Id, cancellationToken).ConfigureAwait(false);
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return JourneySaveResult.NotSaved(SaveOutcome.AlreadyExists, journey.Id, -1, stored);
                }

                await WriteDetailsAsync(connection, transaction, journey, 0, outbox, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return JourneySaveResult.Saved(journey.Id, -1, journey.Version);
            }
        }
    }

    public async Task<JourneySaveResult> SaveAsync(Journey journey, long expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var transaction = await _dialect.BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                // The conditional update is the concurrency gate: it locks the row, and only the writer that still
                // sees the expected version changes it; everyone else updates nothing and gets a conflict.
                var update = Sql.Command(
                    connection,
                    transaction,
                    "UPDATE funnel_journeys SET stage = @stage, status = @status, loss_reason = @reason, entered_ticks = @et, entered_offset = @eo, " +
                    "changed_ticks = @ct, changed_offset = @co, closed_ticks = @xt, closed_offset = @xo, version = @version " +
                    "WHERE id = @id AND version = @expected AND funnel_key = @funnel");
                int updated;
                await using (update.ConfigureAwait(false))
                {
                    updated = await JourneyValues(update, journey)
                        .With("@expected", expectedVersion)
                        .With("@funnel", journey.Definition.Key)
                        .ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                if (updated == 0)
                {
                    var stored = await ReadVersionAsync(connection, transaction, journey.Id, cancellationToken).ConfigureAwait(false);
                    await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                    return JourneySaveResult.NotSaved(stored is null ? SaveOutcome.NotFound : SaveOutcome.VersionConflict, journey.Id, expectedVersion, stored);
                }

                var count = Sql.Command(connection, transaction, "SELECT COUNT(*) FROM funnel_journey_history WHERE journey_id = @id").With("@id", journey.Id);
                int storedHistory;
                await using (count.ConfigureAwait(false))
                {
                    storedHistory = (int)Sql.ToLong(await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0);
                }

                if (storedHistory > journey.History.Length)
                {
                    throw new FunnelStorageException(
                        $"Journey '{journey.Id}' has {journey.History.Length} history entries but {storedHistory} are stored; a saved journey can only add to its history.");
                }

                await WriteDetailsAsync(connection, transaction, journey, storedHistory, outbox, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                return JourneySaveResult.Saved(journey.Id, expectedVersion, journey.Version);
            }
        }
    }

    public async Task<Journey?> LoadAsync(string journeyId, CancellationToken cancellationToken)
    {
        var list = await SelectAsync(
            "SELECT " + JourneyColumns + " FROM funnel_journeys j WHERE j.id = @id",
            command => command.With("@id", journeyId),
            cancellationToken).ConfigureAwait(false);
        return list.Count == 0 ? null : list[0];
    }

    public Task<IReadOnlyList<Journey>> QueryAsync(JourneyQuery query, CancellationToken cancellationToken)
    {
        var text = new StringBuilder("SELECT ").Append(JourneyColumns).Append(" FROM funnel_journeys j WHERE 1 = 1");
        if (query.FunnelKey is not null)
        {
            text.Append(" AND j.funnel_key = @funnel");
        }

        if (!query.Stage.IsDefault)
        {
            text.Append(" AND j.stage = @stage");
        }

        if (query.Status is not null)
        {
            text.Append(" AND j.status = @status");
        }

        if (query.AttributeName is not null)
        {
            text.Append(" AND EXISTS (SELECT 1 FROM funnel_journey_attributes a WHERE a.journey_id = j.id AND a.name = @aname AND ")
                .Append(_dialect.AttributeValueMatch).Append(')');
        }

        if (query.AfterId is not null)
        {
            text.Append(" AND ").Append(_dialect.OrdinalId).Append(" > @after");
        }

        text.Append(" ORDER BY ").Append(_dialect.OrdinalId).Append(" LIMIT @limit");
        return SelectAsync(
            text.ToString(),
            command =>
            {
                command.With("@limit", query.Limit);
                if (query.FunnelKey is not null)
                {
                    command.With("@funnel", query.FunnelKey);
                }

                if (!query.Stage.IsDefault)
                {
                    command.With("@stage", query.Stage.Value);
                }

                if (query.Status is { } status)
                {
                    command.With("@status", (int)status);
                }

                if (query.AttributeName is not null)
                {
                    command.With("@aname", query.AttributeName).With("@avalue", query.AttributeValue);
                }

                if (query.AfterId is not null)
                {
                    command.With("@after", query.AfterId);
                }
            },
            cancellationToken);
    }

    public async Task<IReadOnlyList<Journey>> FindIdleAsync(FunnelDefinition definition, DateTimeOffset asOf, int limit, CancellationToken cancellationToken)
    {
        var limited = definition.Stages.Where(stage => stage.IdleLimit is not null).ToArray();
        if (limited.Length == 0)
        {
            return [];
        }

        var text = new StringBuilder("SELECT ").Append(JourneyColumns)
            .Append(" FROM funnel_journeys j WHERE j.funnel_key = @funnel AND j.status = @open AND (");
        for (var i = 0; i < limited.Length; i++)
        {
            text.Append(i == 0 ? string.Empty : " OR ")
                .Append("(j.stage = ").Append(Sql.Name("@s", i)).Append(" AND j.entered_ticks < ").Append(Sql.Name("@t", i)).Append(')');
        }

        text.Append(") ORDER BY j.entered_ticks, ").Append(_dialect.OrdinalId).Append(" LIMIT @limit");
        return await SelectAsync(
            text.ToString(),
            command =>
            {
                command.With("@funnel", definition.Key).With("@open", (int)JourneyStatus.Open).With("@limit", limit);
                for (var i = 0; i < limited.Length; i++)
                {
                    var threshold = asOf.UtcTicks - limited[i].IdleLimit!.Value.Ticks;
                    command.With(Sql.Name("@s", i), limited[i].Key.Value).With(Sql.Name("@t", i), threshold);
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    public async Task<ImmutableArray<JourneyTransition>> GetHistoryAsync(string journeyId, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var histories = await ReadHistoriesAsync(connection, null, [journeyId], cancellationToken).ConfigureAwait(false);
            return histories.TryGetValue(journeyId, out var history) ? history.ToImmutable() : [];
        }
    }

    public Task<IReadOnlyList<OutboxEntry>> ReadOutboxAsync(int maxCount, bool includeAcknowledged, CancellationToken cancellationToken) =>
        ReadOutboxEntriesAsync(includeAcknowledged ? string.Empty : "WHERE acked_ticks IS NULL ", maxCount, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ReadDeliverableOutboxAsync(int maxCount, CancellationToken cancellationToken) =>
        ReadOutboxEntriesAsync("WHERE acked_ticks IS NULL AND parked_ticks IS NULL ", maxCount, cancellationToken);

    public async Task<bool> RecordOutboxFailureAsync(long id, string error, DateTimeOffset nextAttemptAt, bool park, CancellationToken cancellationToken)
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
                .With("@error", error)
                .With("@t", nextAttemptAt.UtcTicks)
                .With("@o", Sql.OffsetMinutes(nextAttemptAt))
                .With("@id", id);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
            }
        }
    }

    public async Task<OutboxStatus> GetOutboxStatusAsync(CancellationToken cancellationToken)
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

    public async Task<int> AcknowledgeOutboxAsync(IReadOnlyList<long> ids, DateTimeOffset acknowledgedAt, CancellationToken cancellationToken)
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

    private static DbCommand JourneyValues(DbCommand command, Journey journey) =>
        command
            .With("@id", journey.Id)
            .With("@stage", journey.CurrentStage.Key.Value)
            .With("@status", (int)journey.Status)
            .With("@reason", journey.LossReason?.Key.Value)
            .With("@et", journey.EnteredStageAt.UtcTicks)
            .With("@eo", Sql.OffsetMinutes(journey.EnteredStageAt))
            .With("@ct", journey.LastChangedAt.UtcTicks)
            .With("@co", Sql.OffsetMinutes(journey.LastChangedAt))
            .With("@xt", journey.ClosedAt?.UtcTicks)
            .With("@xo", journey.ClosedAt is { } closed ? Sql.OffsetMinutes(closed) : null)
            .With("@version", journey.Version);

    private static string InList(string prefix, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Sql.Name(prefix, i));
        }

        return text.ToString();
    }

    private static async Task<long?> ReadVersionAsync(DbConnection connection, DbTransaction transaction, string journeyId, CancellationToken cancellationToken)
    {
        var command = Sql.Command(connection, transaction, "SELECT version FROM funnel_journeys WHERE id = @id").With("@id", journeyId);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? null : Sql.ToLong(value);
        }
    }

    private static async Task ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task WriteDetailsAsync(DbConnection connection, DbTransaction transaction, Journey journey, int fromHistory, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken)
    {
        for (var seq = fromHistory; seq < journey.History.Length; seq++)
        {
            var entry = journey.History[seq];
            await ExecuteAsync(
                Sql.Command(
                    connection,
                    transaction,
                    "INSERT INTO funnel_journey_history (journey_id, seq, kind, from_stage, to_stage, at_ticks, at_offset, actor, note, loss_reason, " +
                    "forced_by, forced_reason, forced_overridden) VALUES (@id, @seq, @kind, @from, @to, @at, @ao, @actor, @note, @reason, @fby, @fwhy, @fwhat)")
                    .With("@id", journey.Id)
                    .With("@seq", seq)
                    .With("@kind", (int)entry.Kind)
                    .With("@from", entry.From.IsDefault ? null : entry.From.Value)
                    .With("@to", entry.To.Value)
                    .With("@at", entry.At.UtcTicks)
                    .With("@ao", Sql.OffsetMinutes(entry.At))
                    .With("@actor", entry.Actor)
                    .With("@note", entry.Note)
                    .With("@reason", entry.LossReason.IsDefault ? null : entry.LossReason.Value)
                    .With("@fby", entry.Override?.Actor)
                    .With("@fwhy", entry.Override?.Reason)
                    .With("@fwhat", OverrideColumns.WriteOverridden(entry.Override)),
                cancellationToken).ConfigureAwait(false);
        }

        // Attributes and attempts are small snapshots: replace them.
        await ExecuteAsync(Sql.Command(connection, transaction, "DELETE FROM funnel_journey_attributes WHERE journey_id = @id").With("@id", journey.Id), cancellationToken).ConfigureAwait(false);
        foreach (var (name, value) in journey.Attributes)
        {
            await ExecuteAsync(
                Sql.Command(connection, transaction, "INSERT INTO funnel_journey_attributes (journey_id, name, value) VALUES (@id, @name, @value)")
                    .With("@id", journey.Id).With("@name", name).With("@value", value),
                cancellationToken).ConfigureAwait(false);
        }

        await ExecuteAsync(Sql.Command(connection, transaction, "DELETE FROM funnel_journey_attempts WHERE journey_id = @id").With("@id", journey.Id), cancellationToken).ConfigureAwait(false);
        foreach (var (stage, attempts) in journey.Attempts)
        {
            await ExecuteAsync(
                Sql.Command(connection, transaction, "INSERT INTO funnel_journey_attempts (journey_id, stage, attempts) VALUES (@id, @stage, @attempts)")
                    .With("@id", journey.Id).With("@stage", stage.Value).With("@attempts", attempts),
                cancellationToken).ConfigureAwait(false);
        }

        foreach (var message in outbox)
        {
            await ExecuteAsync(
                Sql.Command(
                    connection,
                    transaction,
                    "INSERT INTO funnel_outbox (journey_id, journey_version, type, payload, created_ticks, created_offset) VALUES (@id, @version, @type, @payload, @ct, @co)")
                    .With("@id", journey.Id)
                    .With("@version", journey.Version)
                    .With("@type", message.Type)
                    .With("@payload", message.Payload)
                    .With("@ct", message.CreatedAt.UtcTicks)
                    .With("@co", Sql.OffsetMinutes(message.CreatedAt)),
                cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<IReadOnlyList<Journey>> SelectAsync(string sql, Action<DbCommand> bind, CancellationToken cancellationToken)
    {
        var connection = await _dialect.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            // One snapshot for the rows and their details, so a concurrent save cannot mix versions.
            var transaction = await _dialect.BeginSnapshotAsync(connection, cancellationToken).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                var rows = new List<JourneyRow>();
                var command = Sql.Command(connection, transaction, sql);
                bind(command);
                await using (command.ConfigureAwait(false))
                {
                    var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                    await using (reader.ConfigureAwait(false))
                    {
                        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                        {
                            rows.Add(new JourneyRow(
                                reader.GetString(0),
                                reader.GetString(1),
                                reader.GetString(2),
                                reader.GetInt32(3),
                                reader.GetNullableString(4),
                                Sql.ToTime(reader.GetInt64(5), reader.GetInt32(6)),
                                Sql.ToTime(reader.GetInt64(7), reader.GetInt32(8)),
                                reader.IsDBNull(9) ? null : Sql.ToTime(reader.GetInt64(9), reader.GetInt32(10)),
                                reader.GetInt64(11)));
                        }
                    }
                }

                if (rows.Count == 0)
                {
                    return [];
                }

                var ids = rows.Select(row => row.Id).ToArray();
                var histories = await ReadHistoriesAsync(connection, transaction, ids, cancellationToken).ConfigureAwait(false);
                var attributes = await ReadPairsAsync(connection, transaction, "SELECT journey_id, name, value FROM funnel_journey_attributes WHERE journey_id IN (", ids, cancellationToken).ConfigureAwait(false);
                var attempts = await ReadPairsAsync(connection, transaction, "SELECT journey_id, stage, attempts FROM funnel_journey_attempts WHERE journey_id IN (", ids, cancellationToken).ConfigureAwait(false);
                await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                var journeys = new List<Journey>(rows.Count);
                foreach (var row in rows)
                {
                    journeys.Add(Restore(
                        row,
                        histories.TryGetValue(row.Id, out var history) ? history.ToImmutable() : [],
                        attributes.GetValueOrDefault(row.Id) ?? [],
                        attempts.GetValueOrDefault(row.Id) ?? []));
                }

                return journeys;
            }
        }
    }

    private Journey Restore(JourneyRow row, ImmutableArray<JourneyTransition> history, List<KeyValuePair<string, string>> attributes, List<KeyValuePair<string, string>> attempts)
    {
        var definition = _resolve(row.FunnelKey, row.Id);
        try
        {
            return Journey.Restore(
                definition,
                row.Id,
                new StageKey(row.Stage),
                (JourneyStatus)row.Status,
                row.LossReason is null ? default : new LossReasonKey(row.LossReason),
                row.EnteredAt,
                row.ChangedAt,
                row.ClosedAt,
                history,
                attributes,
                attempts.Select(pair => KeyValuePair.Create(new StageKey(pair.Key), int.Parse(pair.Value, System.Globalization.CultureInfo.InvariantCulture))),
                row.Version);
        }
        catch (Exception exception) when (exception is ArgumentException or KeyNotFoundException or FunnelException && exception is not FunnelStorageException)
        {
            throw new FunnelStorageException($"Stored journey '{row.Id}' of funnel '{row.FunnelKey}' cannot be restored: {exception.Message}", exception);
        }
    }

    private static async Task<Dictionary<string, ImmutableArray<JourneyTransition>.Builder>> ReadHistoriesAsync(
        DbConnection connection, DbTransaction? transaction, string[] ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, ImmutableArray<JourneyTransition>.Builder>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(InListChunk))
        {
            var command = Sql.Command(
                connection,
                transaction,
                "SELECT journey_id, kind, from_stage, to_stage, at_ticks, at_offset, actor, note, loss_reason, forced_by, forced_reason, forced_overridden " +
                "FROM funnel_journey_history WHERE journey_id IN (" +
                InList("@i", chunk.Length) + ") ORDER BY journey_id, seq");
            for (var i = 0; i < chunk.Length; i++)
            {
                command.With(Sql.Name("@i", i), chunk[i]);
            }

            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var id = reader.GetString(0);
                        if (!result.TryGetValue(id, out var builder))
                        {
                            builder = ImmutableArray.CreateBuilder<JourneyTransition>();
                            result.Add(id, builder);
                        }

                        var from = reader.GetNullableString(2);
                        var reason = reader.GetNullableString(8);
                        try
                        {
                            builder.Add(new JourneyTransition(
                                (MoveKind)reader.GetInt32(1),
                                from is null ? default : new StageKey(from),
                                new StageKey(reader.GetString(3)),
                                Sql.ToTime(reader.GetInt64(4), reader.GetInt32(5)),
                                reader.GetNullableString(6),
                                reader.GetNullableString(7),
                                reason is null ? default : new LossReasonKey(reason),
                                OverrideColumns.Read(reader.GetNullableString(9), reader.GetNullableString(10), reader.GetNullableString(11))));
                        }
                        catch (Exception exception) when (exception is ArgumentException or FormatException)
                        {
                            throw new FunnelStorageException($"History entry {builder.Count} of stored journey '{id}' is invalid: {exception.Message}", exception);
                        }
                    }
                }
            }
        }

        return result;
    }

    private static async Task<Dictionary<string, List<KeyValuePair<string, string>>>> ReadPairsAsync(
        DbConnection connection, DbTransaction transaction, string selectPrefix, string[] ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<KeyValuePair<string, string>>>(StringComparer.Ordinal);
        foreach (var chunk in ids.Chunk(InListChunk))
        {
            var command = Sql.Command(connection, transaction, selectPrefix + InList("@i", chunk.Length) + ")");
            for (var i = 0; i < chunk.Length; i++)
            {
                command.With(Sql.Name("@i", i), chunk[i]);
            }

            await using (command.ConfigureAwait(false))
            {
                var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                    {
                        var id = reader.GetString(0);
                        if (!result.TryGetValue(id, out var list))
                        {
                            list = [];
                            result.Add(id, list);
                        }

                        var value = reader.GetValue(2);
                        list.Add(KeyValuePair.Create(reader.GetString(1), Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty));
                    }
                }
            }
        }

        return result;
    }

    private sealed record JourneyRow(
        string Id,
        string FunnelKey,
        string Stage,
        int Status,
        string? LossReason,
        DateTimeOffset EnteredAt,
        DateTimeOffset ChangedAt,
        DateTimeOffset? ClosedAt,
        long Version);
}
