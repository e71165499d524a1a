using System.Data.Common;
using System.Text;
using Funnel.Core;
using Funnel.Core.Storage;

namespace Funnel.Storage.Internal;

/// <summary>
/// The journey store over ADO.NET, written once for every SQL database: a store package adds only its
/// <see cref="SqlDialect"/> and a public type that derives from <see cref="DelegatingJourneyStore"/> over this one.
/// Every value is a parameter. This file holds the writes; <c>SqlJourneyStore.Reading.cs</c> the reads and
/// <c>SqlJourneyStore.Outbox.cs</c> the outbox.
/// </summary>
internal sealed partial class SqlJourneyStore : JourneyStore
{
    private const int InListChunk = 500;

    private readonly SqlDialect _dialect;

    public SqlJourneyStore(SqlDialect dialect, JourneyStoreOptions options)
        : base(options) => _dialect = dialect;

    protected override Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.EnsureCreatedAsync(_dialect, Options.TimeProvider, cancellationToken);

    protected override Task<StoreSchemaStatus> GetSchemaStatusCoreAsync(CancellationToken cancellationToken) =>
        SchemaMigrator.ReadStatusAsync(_dialect, cancellationToken);

    protected override async ValueTask DisposeAsyncCore()
    {
        await _dialect.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsyncCore().ConfigureAwait(false);
    }

    protected override async Task<JourneySaveResult> InsertCoreAsync(Journey journey, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken)
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

    protected override async Task<JourneySaveResult> SaveCoreAsync(Journey journey, long expectedVersion, IReadOnlyList<OutboxMessage> outbox, CancellationToken cancellationToken)
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

    private static async Task<long?> ReadVersionAsync(DbConnection connection, DbTransaction transaction, string journeyId, CancellationToken cancellationToken)
    {
        var command = Sql.Command(connection, transaction, "SELECT version FROM funnel_journeys WHERE id = @id").With("@id", journeyId);
        await using (command.ConfigureAwait(false))
        {
            var value = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return value is null or DBNull ? null : Sql.ToLong(value);
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

    private static string InList(string prefix, int count)
    {
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            text.Append(i == 0 ? string.Empty : ", ").Append(Sql.Name(prefix, i));
        }

        return text.ToString();
    }

    private static async Task ExecuteAsync(DbCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
