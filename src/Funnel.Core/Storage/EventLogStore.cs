using Funnel.Core.Bulk;
using Funnel.Core.Metrics;

namespace Funnel.Core.Storage;

/// <summary>
/// Keeps funnel event logs in a database — one log per funnel definition key — with bulk append, chunked read-back,
/// and SQL push-down of the canonical outputs so that big logs are summarised where they live. Adapters derive from
/// this class.
/// </summary>
/// <remarks>
/// <para>Rows are stored with dense ordinals of the definition (stage order, loss-reason index) and timestamps in
/// whole Unix seconds (sub-second parts are truncated toward the past; offsets are not kept — events read back are
/// UTC). Log order is append order.</para>
/// <para>Implementations are thread-safe; each call uses its own connection. Every statement is parameterised.</para>
/// </remarks>
public abstract class EventLogStore : IAsyncDisposable
{
    /// <summary>The default <see cref="ReadAsync"/> chunk size: 65,536 rows.</summary>
    public const int DefaultChunkSize = 65_536;

    /// <summary>Creates the schema, or migrates it to the newest version this library knows (the same schema as the journey store).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema version now in place.</returns>
    /// <exception cref="FunnelStorageException">The database holds a newer schema version than this library knows.</exception>
    public Task<int> EnsureCreatedAsync(CancellationToken cancellationToken = default) => EnsureCreatedCoreAsync(cancellationToken);

    /// <summary>
    /// Appends events to the log of <paramref name="definition"/> in one transaction: every event is stored, or —
    /// when one is invalid — none is.
    /// </summary>
    /// <param name="definition">The funnel whose stages and loss reasons the events name.</param>
    /// <param name="events">The events, in log order.</param>
    /// <param name="cancellationToken">Cancels the call (nothing is stored then).</param>
    /// <returns>The number of events stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="events"/> is <see langword="null"/>.</exception>
    /// <exception cref="FunnelStorageException">An event is the <see langword="default"/> value or names a stage or loss reason the definition lacks, or its entity id or segment holds a NUL or an unpaired surrogate; the message gives its index and entity.</exception>
    public Task<long> AppendAsync(FunnelDefinition definition, IEnumerable<FunnelEvent> events, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(events);
        return AppendAndDisposeAsync(definition, new EventRowReader(definition, events), cancellationToken);
    }

    /// <summary>Reads the log of <paramref name="definition"/> back in log order, in chunks of columns.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="chunkSize">Rows per chunk; 1 to 16,777,216; <see cref="DefaultChunkSize"/> by default.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The chunks; none for an empty log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> is out of range.</exception>
    /// <exception cref="FunnelStorageException">A stored ordinal is outside the definition (the definition changed since ingest).</exception>
    public IAsyncEnumerable<EventLogChunk> ReadAsync(FunnelDefinition definition, int chunkSize = DefaultChunkSize, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        Guard.Against.NotBetween(chunkSize, 1, 1 << 24);
        return ReadCoreAsync(definition, chunkSize, cancellationToken);
    }

    /// <summary>Counts the events in the log of <paramref name="definition"/>.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of events.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public Task<long> CountAsync(FunnelDefinition definition, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        return CountCoreAsync(definition.Key, cancellationToken);
    }

    /// <summary>Deletes the log of <paramref name="definition"/>.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number of events deleted.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public Task<long> DeleteAsync(FunnelDefinition definition, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        return DeleteCoreAsync(definition.Key, cancellationToken);
    }

    /// <summary>
    /// Computes the bulk engine's outputs over the log of <paramref name="definition"/> on the database server (SQL
    /// push-down, one consistent snapshot): the same <see cref="TransitionReport"/>, number for number, that
    /// <see cref="TransitionAnalyzer"/> gives for the log read back with <see cref="ReadAsync"/> — so the numbers can
    /// be computed where the data lives without changing the code that reads them.
    /// </summary>
    /// <param name="definition">The funnel; a stage's <see cref="Stage.StepWindow"/> is a per-step window, as for <see cref="TransitionAnalyzer(FunnelDefinition, TimeSpan, int)"/>.</param>
    /// <param name="window">The ordered-funnel window, inclusive, in whole seconds (fractions truncated); not negative.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report: the ordered window funnel, transition matrix, time in stage with exact medians, losses by stage and reason, the outcomes (won, lost, open by stage, judged by each entity's last event against the definition's goal stage), and the event and entity counts.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is negative.</exception>
    /// <exception cref="FunnelStorageException">A stored ordinal is outside the definition.</exception>
    /// <exception cref="NotSupportedException">A stage of the definition has a <see cref="Stage.StepWindow"/> and the store does not list <see cref="PushDownOptions.StepWindows"/> in <see cref="SupportedPushDownOptions"/>. Or the definition's <see cref="FunnelDefinition.Outcome"/> is <see cref="OutcomeRule.Reached"/>: the push-down judges outcomes by each entity's last event only.</exception>
    public Task<TransitionReport> ComputeAggregatesAsync(FunnelDefinition definition, TimeSpan window, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        Guard.Against.LessThan(window, TimeSpan.Zero);
        RefuseReachedOutcome(definition);
        return ComputeAggregatesAsync(definition, new TransitionAnalyzer(definition, window), cancellationToken);
    }

    /// <summary>
    /// Computes on the database server what <paramref name="analyzer"/> computes in memory: the same
    /// <see cref="TransitionReport"/>, number for number, that <see cref="TransitionAnalyzer.Analyze"/> gives for the
    /// log of <paramref name="definition"/> read back with <see cref="ReadAsync"/>, with the analyzer's window and
    /// funnel modes. An option the store does not compute (see <see cref="SupportedPushDownOptions"/>) is refused.
    /// </summary>
    /// <param name="definition">The funnel whose log is read; the analyzer must have its shape.</param>
    /// <param name="analyzer">The question: window, per-step windows, anchor, order, exclusions, optional steps, time to convert and median kind. Its degree of parallelism is ignored.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report, <see cref="TransitionReport.Equals(TransitionReport)"/> to the analyzer's on the same log.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> or <paramref name="analyzer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The analyzer was made for another funnel shape (stages, goal stage or loss reasons) than <paramref name="definition"/>'s.</exception>
    /// <exception cref="FunnelStorageException">A stored ordinal is outside the definition.</exception>
    /// <exception cref="NotSupportedException">The analyzer uses an option this store does not push down (the message names it), or the definition's <see cref="FunnelDefinition.Outcome"/> is <see cref="OutcomeRule.Reached"/>.</exception>
    public Task<TransitionReport> ComputeAggregatesAsync(FunnelDefinition definition, TransitionAnalyzer analyzer, CancellationToken cancellationToken = default)
    {
        Guard.Against.Null(definition);
        Guard.Against.Null(analyzer);
        RefuseReachedOutcome(definition);
        if (!analyzer.Shape.Equals(FunnelShape.Of(definition)))
        {
            throw new ArgumentException(
                $"The analyzer was made for the shape {analyzer.Shape}, not for funnel '{definition.Key}' ({FunnelShape.Of(definition)}): build it from the same definition.",
                nameof(analyzer));
        }

        var missing = RequiredPushDownOptions(analyzer) & ~SupportedPushDownOptions;
        if (missing != PushDownOptions.None)
        {
            throw new NotSupportedException(
                $"{GetType().Name} does not push down {Describe(missing, definition)} (PushDownOptions.{missing}). Read the log with ReadAsync and analyse it with the TransitionAnalyzer instead, or drop the option.");
        }

        return AnswerAsync(ComputeAggregatesCoreAsync(definition, analyzer, cancellationToken), analyzer);
    }

    /// <summary>The store's numbers, described as the analyzer's answer (per-step windows, anchor, median kind), so that they equal the engine's report.</summary>
    private static async Task<TransitionReport> AnswerAsync(Task<TransitionReport> numbers, TransitionAnalyzer analyzer) =>
        (await numbers.ConfigureAwait(false)).AnsweringTo(analyzer);

    /// <summary>Gets the analyzer options, beyond the window, that this store computes on the server; the others are refused. <see cref="PushDownOptions.None"/> unless a store overrides it.</summary>
    public virtual PushDownOptions SupportedPushDownOptions => PushDownOptions.None;

    /// <summary>Gets the push-down options an analyzer uses: what a store must support to compute its report.</summary>
    /// <param name="analyzer">The analyzer.</param>
    /// <returns>The options of <paramref name="analyzer"/> that differ from the defaults.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="analyzer"/> is <see langword="null"/>.</exception>
    public static PushDownOptions RequiredPushDownOptions(TransitionAnalyzer analyzer)
    {
        Guard.Against.Null(analyzer);
        var options = PushDownOptions.None;
        options |= analyzer.StepWindowSeconds.IsEmpty ? PushDownOptions.None : PushDownOptions.StepWindows;
        options |= analyzer.Anchor switch
        {
            AnchorMode.Latest => PushDownOptions.LatestAnchor,
            AnchorMode.Best => PushDownOptions.BestAnchor,
            _ => PushDownOptions.None,
        };
        options |= analyzer.Order switch
        {
            StepOrder.Strict => PushDownOptions.StrictOrder,
            StepOrder.Unordered => PushDownOptions.UnorderedSteps,
            _ => PushDownOptions.None,
        };
        options |= analyzer.Exclusions.IsEmpty ? PushDownOptions.None : PushDownOptions.Exclusions;
        options |= analyzer.OptionalSteps.IsEmpty ? PushDownOptions.None : PushDownOptions.OptionalSteps;
        options |= analyzer.ConversionTimes ? PushDownOptions.ConversionTimes : PushDownOptions.None;
        options |= analyzer.Median == MedianKind.Interpolated ? PushDownOptions.InterpolatedMedian : PushDownOptions.None;
        return options;
    }

    private static string Describe(PushDownOptions missing, FunnelDefinition definition)
    {
        var names = new List<string>();
        if (missing.HasFlag(PushDownOptions.StepWindows))
        {
            names.Add(definition.Stages.FirstOrDefault(s => s.StepWindow is not null) is { } stepped
                ? $"per-step windows (Stage '{stepped.Key}' of funnel '{definition.Key}' has a step window)"
                : "per-step windows (TransitionAnalyzer.StepWindows)");
        }

        AddIf(PushDownOptions.LatestAnchor, "the latest anchor (TransitionAnalyzer.Anchor = AnchorMode.Latest)");
        AddIf(PushDownOptions.BestAnchor, "the best anchor (TransitionAnalyzer.Anchor = AnchorMode.Best)");
        AddIf(PushDownOptions.StrictOrder, "strict order (TransitionAnalyzer.Order = StepOrder.Strict)");
        AddIf(PushDownOptions.UnorderedSteps, "unordered steps (TransitionAnalyzer.Order = StepOrder.Unordered)");
        AddIf(PushDownOptions.Exclusions, "exclusion steps (TransitionAnalyzer.Exclusions)");
        AddIf(PushDownOptions.OptionalSteps, "optional steps (TransitionAnalyzer.OptionalSteps)");
        AddIf(PushDownOptions.ConversionTimes, "time to convert (TransitionAnalyzer.ConversionTimes)");
        AddIf(PushDownOptions.InterpolatedMedian, "the interpolated median (TransitionAnalyzer.Median = MedianKind.Interpolated)");
        return string.Join(", ", names);

        void AddIf(PushDownOptions option, string name)
        {
            if (missing.HasFlag(option))
            {
                names.Add(name);
            }
        }
    }

    private static void RefuseReachedOutcome(FunnelDefinition definition)
    {
        if (definition.Outcome == OutcomeRule.Reached)
        {
            throw new NotSupportedException(
                $"Funnel '{definition.Key}' counts a lead won once it reaches the goal (outcome \"reached\"); the SQL push-down judges won, lost and open by each entity's last event only (outcome \"last-status\"). Read the log with ReadAsync and compute a FunnelReport instead.");
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await DisposeAsyncCore().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    /// <summary>Creates or migrates the schema.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The schema version.</returns>
    protected internal abstract Task<int> EnsureCreatedCoreAsync(CancellationToken cancellationToken);

    /// <summary>Stores the rows that <paramref name="rows"/> yields, in one transaction; the reader validates each row as it is read and throws on a bad one.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="rows">The validated rows.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The number stored.</returns>
    protected internal abstract Task<long> AppendCoreAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken);

    /// <summary>Reads the log in chunks.</summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="chunkSize">Rows per chunk.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The chunks.</returns>
    protected internal abstract IAsyncEnumerable<EventLogChunk> ReadCoreAsync(FunnelDefinition definition, int chunkSize, CancellationToken cancellationToken);

    /// <summary>Counts the log's rows.</summary>
    /// <param name="funnelKey">The definition key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count.</returns>
    protected internal abstract Task<long> CountCoreAsync(string funnelKey, CancellationToken cancellationToken);

    /// <summary>Deletes the log's rows.</summary>
    /// <param name="funnelKey">The definition key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The count deleted.</returns>
    protected internal abstract Task<long> DeleteCoreAsync(string funnelKey, CancellationToken cancellationToken);

    /// <summary>
    /// Computes the report in the database. An adapter builds the result with <see cref="TransitionReport.Create"/>
    /// from the definition's stage and loss-reason counts and the analyzer's <see cref="TransitionAnalyzer.WindowSeconds"/>.
    /// The public method has already checked that the analyzer fits the definition and uses only
    /// <see cref="SupportedPushDownOptions"/>.
    /// </summary>
    /// <param name="definition">The funnel.</param>
    /// <param name="analyzer">The question: window and the supported options.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The report.</returns>
    protected internal abstract Task<TransitionReport> ComputeAggregatesCoreAsync(FunnelDefinition definition, TransitionAnalyzer analyzer, CancellationToken cancellationToken);

    private async Task<long> AppendAndDisposeAsync(FunnelDefinition definition, EventRowReader rows, CancellationToken cancellationToken)
    {
        using (rows)
        {
            return await AppendCoreAsync(definition, rows, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases the adapter's resources; the default does nothing.</summary>
    /// <returns>A task that completes when done.</returns>
    protected virtual ValueTask DisposeAsyncCore() => ValueTask.CompletedTask;
}
