using System.Collections.Immutable;

namespace Funnel.Core.Bulk;

/// <summary>The summaries of a read's rejected rows shared by the CSV and the columnar results: the counts by column and the unknown keys.</summary>
internal static class RowErrorSummary
{
    /// <summary>The most unknown keys listed (a log whose every row has another key costs bounded memory in the list).</summary>
    public const int MaxUnknownKeys = 10_000;

    /// <summary>The rows by the column at fault, the most frequent first, then by name (ordinal; the rows bad as a whole sort as <c>(whole row)</c>).</summary>
    public static ImmutableArray<ColumnErrorCount> ByColumn<T>(ImmutableArray<T> errors, Func<T, string?> column)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        long whole = 0;
        foreach (var error in errors)
        {
            if (column(error) is { } name)
            {
                counts[name] = counts.GetValueOrDefault(name) + 1;
            }
            else
            {
                whole++;
            }
        }

        var list = counts.Select(c => new ColumnErrorCount(c.Key, c.Value)).ToList();
        if (whole > 0)
        {
            list.Add(new ColumnErrorCount(null, whole));
        }

        return [.. list.OrderByDescending(c => c.Rows).ThenBy(c => c.Column ?? "(whole row)", StringComparer.Ordinal)];
    }

    /// <summary>The distinct unknown stage and loss-reason values, the most frequent first, then by value (ordinal), stages first; at most <see cref="MaxUnknownKeys"/>.</summary>
    public static ImmutableArray<UnknownKey> UnknownKeys<T>(ImmutableArray<T> errors, Func<T, RowErrorKind> kind, Func<T, string?> value)
    {
        var counts = new Dictionary<(RowErrorKind, string), long>();
        foreach (var error in errors)
        {
            var k = kind(error);
            if (k is RowErrorKind.UnknownStage or RowErrorKind.UnknownLossReason && value(error) is { } text)
            {
                counts[(k, text)] = counts.GetValueOrDefault((k, text)) + 1;
            }
        }

        return
        [
            .. counts
                .OrderByDescending(c => c.Value).ThenBy(c => c.Key.Item2, StringComparer.Ordinal).ThenBy(c => c.Key.Item1)
                .Take(MaxUnknownKeys)
                .Select(c => new UnknownKey(c.Key.Item1, c.Key.Item2, c.Value)),
        ];
    }
}
