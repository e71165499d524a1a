using System.Collections.Immutable;
using Funnel.Core.Bulk;

namespace Funnel.Formats;

/// <summary>
/// The names of the five mapped columns, checked once from the public <see cref="TransitionLogColumns"/>, and the
/// other names accepted for each (<see cref="TransitionLogColumns.EntityColumnAlternatives"/> and the like). After the
/// schema is resolved, <see cref="Entity"/> and the others are the names that matched.
/// </summary>
internal sealed record ColumnNames(string Entity, string Stage, string Timestamp, string LossReason, string Segment)
{
    public ImmutableArray<string> EntityAlternatives { get; init; } = [];

    public ImmutableArray<string> StageAlternatives { get; init; } = [];

    public ImmutableArray<string> TimestampAlternatives { get; init; } = [];

    public ImmutableArray<string> LossReasonAlternatives { get; init; } = [];

    public ImmutableArray<string> SegmentAlternatives { get; init; } = [];

    /// <summary>Checks and takes the names of <paramref name="columns"/> (<see cref="TransitionLogColumns.Default"/> when null).</summary>
    public static ColumnNames From(TransitionLogColumns? columns)
    {
        columns ??= TransitionLogColumns.Default;
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.EntityColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.StageColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.TimestampColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.LossReasonColumn);
        ArgumentException.ThrowIfNullOrWhiteSpace(columns.SegmentColumn);
        return new ColumnNames(columns.EntityColumn, columns.StageColumn, columns.TimestampColumn, columns.LossReasonColumn, columns.SegmentColumn)
        {
            EntityAlternatives = Checked(columns.EntityColumnAlternatives, nameof(columns.EntityColumnAlternatives)),
            StageAlternatives = Checked(columns.StageColumnAlternatives, nameof(columns.StageColumnAlternatives)),
            TimestampAlternatives = Checked(columns.TimestampColumnAlternatives, nameof(columns.TimestampColumnAlternatives)),
            LossReasonAlternatives = Checked(columns.LossReasonColumnAlternatives, nameof(columns.LossReasonColumnAlternatives)),
            SegmentAlternatives = Checked(columns.SegmentColumnAlternatives, nameof(columns.SegmentColumnAlternatives)),
        };
    }

    /// <summary>The name and then its alternatives, in the order they are tried.</summary>
    public static string[] Candidates(string name, ImmutableArray<string> alternatives) => [name, .. alternatives];

    private static ImmutableArray<string> Checked(ImmutableArray<string> names, string property)
    {
        if (names.IsDefault)
        {
            return [];
        }

        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                throw new ArgumentException($"{nameof(TransitionLogColumns)}.{property} holds a blank name.", property);
            }
        }

        return names;
    }
}
