using System.Collections.Immutable;
using Funnel.Core;

namespace Funnel.Cli.Input;

/// <summary>Counts every bad row of a log by the column at fault (for the report) and collects its unknown keys (for the hints).</summary>
internal sealed class BadRowTally
{
    /// <summary>The name counted for a row that is bad as a whole (wrong field count, empty, an unclosed quote).</summary>
    public const string WholeRow = "(whole row)";

    private readonly Dictionary<string, long> _byColumn = new(StringComparer.OrdinalIgnoreCase);

    public BadRowTally(FunnelDefinition definition) => Hints = new KeyHints(definition);

    /// <summary>Gets the unknown keys seen, for the "did you mean" hints.</summary>
    public KeyHints Hints { get; }

    /// <summary>Counts one bad row.</summary>
    /// <param name="column">The column at fault as named in the file, or null when the row as a whole is bad.</param>
    /// <param name="reason">Why the row is bad.</param>
    public void Add(string? column, string reason)
    {
        var key = column ?? WholeRow;
        _byColumn[key] = _byColumn.GetValueOrDefault(key) + 1;
        Hints.Observe(reason);
    }

    /// <summary>The counts by column, the most frequent first.</summary>
    public ImmutableArray<(string Column, long Rows)> ByColumn() =>
        [.. _byColumn.OrderByDescending(c => c.Value).ThenBy(c => c.Key, StringComparer.Ordinal).Select(c => (c.Key, c.Value))];
}
