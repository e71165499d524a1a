namespace Funnel.Core.Bulk;

/// <summary>
/// A stage or loss-reason value that rows of a read had and the definition lacks, with the number of rows rejected
/// for it (<see cref="TransitionLogCsvResult.UnknownKeys"/>, <see cref="TransitionLogReadResult.UnknownKeys"/>).
/// </summary>
/// <remarks>Instances are immutable and thread-safe.</remarks>
public sealed class UnknownKey
{
    /// <summary>Creates an unknown key.</summary>
    /// <param name="kind"><see cref="RowErrorKind.UnknownStage"/> or <see cref="RowErrorKind.UnknownLossReason"/>.</param>
    /// <param name="key">The value as the file has it.</param>
    /// <param name="rows">The number of rows rejected for it.</param>
    /// <exception cref="ArgumentException"><paramref name="kind"/> is another kind.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rows"/> is below 1.</exception>
    public UnknownKey(RowErrorKind kind, string key, long rows)
    {
        if (kind is not (RowErrorKind.UnknownStage or RowErrorKind.UnknownLossReason))
        {
            throw new ArgumentException($"{kind} is not an unknown key; expected UnknownStage or UnknownLossReason.", nameof(kind));
        }

        Guard.Against.Null(key);
        Guard.Against.NegativeOrZero(rows);
        Kind = kind;
        Key = key;
        Rows = rows;
    }

    /// <summary>Gets <see cref="RowErrorKind.UnknownStage"/> for a stage, <see cref="RowErrorKind.UnknownLossReason"/> for a loss reason.</summary>
    public RowErrorKind Kind { get; }

    /// <summary>Gets a value indicating whether the key stood where a stage was expected (else a loss reason).</summary>
    public bool IsStage => Kind == RowErrorKind.UnknownStage;

    /// <summary>Gets the value as the file has it (exact: not trimmed; an integer column's number as decimal text).</summary>
    public string Key { get; }

    /// <summary>Gets the number of rows rejected for this value.</summary>
    public long Rows { get; }

    /// <summary>Suggests the key of <paramref name="definition"/> this value most likely means (<see cref="KeySuggestion.ForStage"/> or <see cref="KeySuggestion.ForLossReason"/>).</summary>
    /// <param name="definition">The definition the log was read with.</param>
    /// <returns>The suggestion, or <see langword="null"/> when no key is near.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="definition"/> is <see langword="null"/>.</exception>
    public KeySuggestion? Suggest(FunnelDefinition definition) =>
        IsStage ? KeySuggestion.ForStage(definition, Key) : KeySuggestion.ForLossReason(definition, Key);

    /// <summary>Returns the unknown key as text.</summary>
    /// <returns>A text such as <c>stage 'Interest': 2 rows</c>.</returns>
    public override string ToString() => $"{(IsStage ? "stage" : "loss reason")} '{Key}': {Rows} {(Rows == 1 ? "row" : "rows")}";
}
