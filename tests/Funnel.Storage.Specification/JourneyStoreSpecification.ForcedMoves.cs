using System.Collections.Immutable;
using System.Globalization;
using Funnel.Core;
using Funnel.Core.Rules;
using Funnel.Core.Storage;

namespace Funnel.Storage.Specification;

/// <summary>
/// Issue 18, defect 1: the audit of a forced move (<see cref="MoveOverride"/>: who forced it, why, which rules it
/// overrode) was saved nowhere — the history tables had no columns for it — so a journey loaded back had lost it.
/// Schema version 2 adds the columns; a database created with version 1 is migrated and its rows still load.
/// </summary>
public abstract partial class JourneyStoreSpecification
{
    /// <summary>A rule set whose guard refuses every win without a manager's approval, so a win can only be forced.</summary>
    private static readonly RuleSet ApprovalRules = new RuleSetBuilder()
        .AddGuard(
            "manager-approval",
            a => a.Kind == MoveKind.Won && !a.Attributes.ContainsKey("approved-by")
                ? GuardVerdict.Deny("A win needs a manager's approval.", ImmutableDictionary<string, string>.Empty.Add("missing", "approved-by").Add("stage", a.To.Key.Value))
                : GuardVerdict.Allow)
        .Build();

    /// <summary>
    /// The schema as version 1 of the stores created it, frozen here on purpose: the migration test must start from
    /// what old databases really contain, not from whatever the library's version-1 script says today.
    /// </summary>
    private static string[] Version1Schema(string outboxId, string eventSequence) =>
    [
        "CREATE TABLE funnel_schema (version integer NOT NULL PRIMARY KEY, applied_ticks bigint NOT NULL)",
        "CREATE TABLE funnel_journeys (id text NOT NULL PRIMARY KEY, funnel_key text NOT NULL, stage text NOT NULL, status integer NOT NULL, " +
        "loss_reason text NULL, entered_ticks bigint NOT NULL, entered_offset integer NOT NULL, changed_ticks bigint NOT NULL, changed_offset integer NOT NULL, " +
        "closed_ticks bigint NULL, closed_offset integer NULL, version bigint NOT NULL)",
        "CREATE INDEX ix_funnel_journeys_stage ON funnel_journeys (funnel_key, stage, status, entered_ticks)",
        "CREATE INDEX ix_funnel_journeys_status ON funnel_journeys (status, funnel_key)",
        "CREATE TABLE funnel_journey_history (journey_id text NOT NULL, seq integer NOT NULL, kind integer NOT NULL, from_stage text NULL, to_stage text NOT NULL, " +
        "at_ticks bigint NOT NULL, at_offset integer NOT NULL, actor text NULL, note text NULL, loss_reason text NULL, PRIMARY KEY (journey_id, seq))",
        "CREATE TABLE funnel_journey_attributes (journey_id text NOT NULL, name text NOT NULL, value text NOT NULL, PRIMARY KEY (journey_id, name))",
        "CREATE INDEX ix_funnel_journey_attributes_value ON funnel_journey_attributes (name, value)",
        "CREATE TABLE funnel_journey_attempts (journey_id text NOT NULL, stage text NOT NULL, attempts integer NOT NULL, PRIMARY KEY (journey_id, stage))",
        "CREATE TABLE funnel_outbox (id " + outboxId + ", journey_id text NOT NULL, journey_version bigint NOT NULL, type text NOT NULL, payload text NOT NULL, " +
        "created_ticks bigint NOT NULL, created_offset integer NOT NULL, acked_ticks bigint NULL, acked_offset integer NULL)",
        "CREATE INDEX ix_funnel_outbox_pending ON funnel_outbox (id) WHERE acked_ticks IS NULL",
        "CREATE TABLE funnel_events (seq " + eventSequence + ", funnel_key text NOT NULL, entity_id text NOT NULL, stage integer NOT NULL, at bigint NOT NULL, " +
        "reason integer NULL, segment text NULL)",
        "CREATE INDEX ix_funnel_events_log ON funnel_events (funnel_key, seq)",
        "INSERT INTO funnel_schema (version, applied_ticks) VALUES (1, 0)",
    ];

    private static Journey ForceWin(Journey journey, DateTimeOffset at) =>
        ApprovalRules.Evaluate(journey, MoveRequest.Won(at, "deal-desk", "signed on paper").ForcedBy("vera.boss", "The client signed; approval follows on Monday."))
            .GetJourneyOrThrow();

    [Fact]
    public async Task ForcedMoveAudit_SavedAndLoadedBack_KeepsWhoWhyAndTheOverriddenRules()
    {
        var store = NewStore();
        var start = Journey.Start(Pipeline, "forced-1", T0, "web-form");
        await store.InsertAsync(start);
        var moved = start.MoveTo("proposal", T0.AddHours(1), "ann").GetJourneyOrThrow();
        Assert.False(ApprovalRules.Evaluate(moved, MoveRequest.Won(T0.AddHours(2))).Succeeded); // the guard really denies it
        var won = ForceWin(moved, T0.AddHours(2));
        var forced = won.History[^1];
        Assert.True(forced.IsForced);

        Assert.True((await store.SaveAsync(won, start.Version)).Succeeded);
        var loaded = await store.LoadAsync("forced-1");
        var history = await store.GetHistoryAsync("forced-1");

        Assert.Equal(won, loaded);
        var audit = loaded!.History[^1].Override;
        Assert.NotNull(audit);
        Assert.Equal("vera.boss", audit.Actor);
        Assert.Equal("The client signed; approval follows on Monday.", audit.Reason);
        Assert.Equal(["manager-approval"], audit.OverriddenRuleIds.ToArray());
        Assert.Equal("A win needs a manager's approval.", audit.Overridden[0].Message);
        Assert.Equal("approved-by", audit.Overridden[0].Data["missing"]);
        Assert.Equal("won", audit.Overridden[0].Data["stage"]);
        Assert.Equal(forced, history[^1]);
        Assert.True(history[^1].IsForced);
        Assert.All(history.Take(history.Length - 1), entry => Assert.False(entry.IsForced));
    }

    [Fact]
    public async Task ForcedMoveAudit_ForcedWithNothingToOverrideOrWithOddText_RoundTripsExactly()
    {
        var store = NewStore();
        var plain = Journey.Start(Pipeline, "forced-2", T0);

        // Forcing a move no rule denies still records who and why, with an empty list of overridden violations.
        var moved = RuleSet.Empty.Evaluate(plain, MoveRequest.MoveTo("proposal", T0.AddHours(1)).ForcedBy("ops", "bulk fix")).GetJourneyOrThrow();
        var odd = new MoveOverride(
            "Zoë 'o''brien' \"ceo\" 🚀",
            "{\"not\": \"json\"} ; DROP TABLE funnel_journey_history; --",
            [new MoveViolation("rule \"q\"", "line one\nline two\ttabbed \\ backslash", ImmutableDictionary<string, string>.Empty.Add("", "empty name").Add("ünï", ""))]);
        var last = moved.History[^1];
        var withOdd = Journey.Restore(
            Pipeline, "forced-3", "deciding", JourneyStatus.Open, default, T0.AddHours(2), T0.AddHours(2), null,
            [plain.History[0], new JourneyTransition(MoveKind.Move, "request", "deciding", T0.AddHours(2), "ann", null, default, odd)],
            [], [], 1);

        await store.InsertAsync(moved);
        await store.InsertAsync(withOdd);

        var loadedMoved = await store.LoadAsync("forced-2");
        Assert.Equal(moved, loadedMoved);
        Assert.True(loadedMoved!.History[^1].IsForced);
        Assert.Empty(loadedMoved.History[^1].Override!.Overridden);
        Assert.Equal(last.Override, loadedMoved.History[^1].Override);
        var loadedOdd = await store.LoadAsync("forced-3");
        Assert.Equal(withOdd, loadedOdd);
        Assert.Equal(odd.Overridden[0].Data, loadedOdd!.History[^1].Override!.Overridden[0].Data);
    }

    [Fact]
    public async Task ForcedMoveAudit_DatabaseCreatedWithSchemaVersion1_MigratesOnceAndLoadsTheOldRows()
    {
        // Replace the fresh schema by the version 1 schema, with rows written the way version 1 wrote them.
        foreach (var table in new[] { "funnel_events", "funnel_outbox", "funnel_journey_attempts", "funnel_journey_attributes", "funnel_journey_history", "funnel_journeys", "funnel_schema" })
        {
            await ExecuteSqlAsync("DROP TABLE " + table);
        }

        var (outboxId, eventSequence) = Version1IdentityColumns;
        foreach (var statement in Version1Schema(outboxId, eventSequence))
        {
            await ExecuteSqlAsync(statement);
        }

        var old = Rich("old-1");
        foreach (var statement in Version1Rows(old))
        {
            await ExecuteSqlAsync(statement);
        }

        var store = NewStore();
        Assert.Equal(SchemaVersion, await store.EnsureCreatedAsync());
        Assert.Equal(SchemaVersion, await NewStore().EnsureCreatedAsync()); // a second run applies nothing

        var loaded = await store.LoadAsync("old-1");
        Assert.Equal(old, loaded);
        Assert.All(loaded!.History, entry => Assert.False(entry.IsForced));
        Assert.Equal(["old-1"], (await store.QueryAsync(JourneyQuery.All.OwnedBy("ann"))).Select(j => j.Id));
        Assert.Equal(["old-1"], (await store.QueryAsync(JourneyQuery.All.WithAttribute("amount", "1200"))).Select(j => j.Id));

        // The migrated database keeps new audits, and serves long attribute values (the version 2 index).
        var won = ForceWin(loaded.SetAttribute("summary", LongText(JourneyStoreOptions.DefaultMaxTextLength, 7)).GetJourneyOrThrow(), T0.AddDays(3));
        Assert.True((await store.SaveAsync(won, old.Version)).Succeeded);
        var reloaded = await NewStore().LoadAsync("old-1");
        Assert.Equal(won, reloaded);
        Assert.True(reloaded!.History[^1].IsForced);
        Assert.Equal("vera.boss", reloaded.History[^1].Override!.Actor);
        Assert.Equal(["old-1"], (await store.QueryAsync(JourneyQuery.All.WithAttribute("summary", LongText(JourneyStoreOptions.DefaultMaxTextLength, 7)))).Select(j => j.Id));
    }

    /// <summary>The INSERT statements version 1 of the stores ran for a journey (only plain ASCII text, so literals are safe here).</summary>
    private static IEnumerable<string> Version1Rows(Journey journey)
    {
        static string Text(string? value)
        {
            if (value is null)
            {
                return "NULL";
            }

            Assert.Matches("^[A-Za-z0-9 .,-]*$", value);
            return "'" + value + "'";
        }

        static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

        static string Offset(DateTimeOffset value) => Number((long)value.Offset.TotalMinutes);

        var closed = journey.ClosedAt;
        yield return "INSERT INTO funnel_journeys (id, funnel_key, stage, status, loss_reason, entered_ticks, entered_offset, changed_ticks, changed_offset, closed_ticks, closed_offset, version) VALUES (" +
            string.Join(", ", Text(journey.Id), Text(journey.Definition.Key), Text(journey.CurrentStage.Key.Value), Number((int)journey.Status), Text(journey.LossReason?.Key.Value),
                Number(journey.EnteredStageAt.UtcTicks), Offset(journey.EnteredStageAt), Number(journey.LastChangedAt.UtcTicks), Offset(journey.LastChangedAt),
                closed is null ? "NULL" : Number(closed.Value.UtcTicks), closed is null ? "NULL" : Offset(closed.Value), Number(journey.Version)) + ")";
        for (var seq = 0; seq < journey.History.Length; seq++)
        {
            var entry = journey.History[seq];
            yield return "INSERT INTO funnel_journey_history (journey_id, seq, kind, from_stage, to_stage, at_ticks, at_offset, actor, note, loss_reason) VALUES (" +
                string.Join(", ", Text(journey.Id), Number(seq), Number((int)entry.Kind), Text(entry.From.IsDefault ? null : entry.From.Value), Text(entry.To.Value),
                    Number(entry.At.UtcTicks), Offset(entry.At), Text(entry.Actor), Text(entry.Note), Text(entry.LossReason.IsDefault ? null : entry.LossReason.Value)) + ")";
        }

        foreach (var (name, value) in journey.Attributes)
        {
            yield return "INSERT INTO funnel_journey_attributes (journey_id, name, value) VALUES (" + string.Join(", ", Text(journey.Id), Text(name), Text(value)) + ")";
        }

        foreach (var (stage, attempts) in journey.Attempts)
        {
            yield return "INSERT INTO funnel_journey_attempts (journey_id, stage, attempts) VALUES (" + string.Join(", ", Text(journey.Id), Text(stage.Value), Number(attempts)) + ")";
        }
    }
}
