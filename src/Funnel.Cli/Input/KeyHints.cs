using System.Globalization;
using System.Text.RegularExpressions;
using Funnel.Core;

namespace Funnel.Cli.Input;

/// <summary>
/// Collects the unknown stage and loss-reason keys of the bad rows and, once per distinct key, suggests the defined
/// key it most likely means: the same ignoring case or separators (<c>closed won</c> for <c>Closed Won</c>), a
/// stage's display name, or a typing slip. Keys are matched exactly, so an export with another spelling otherwise
/// turns every such row bad without a hint.
/// </summary>
internal sealed partial class KeyHints
{
    /// <summary>The most distinct unknown keys tracked (a log whose every row has another key costs bounded memory).</summary>
    private const int MaxTracked = 10_000;

    /// <summary>The most hints printed.</summary>
    private const int MaxShown = 10;

    private readonly FunnelDefinition _definition;
    private readonly Dictionary<(bool Stage, string Key), long> _unknown = [];

    public KeyHints(FunnelDefinition definition) => _definition = definition;

    /// <summary>Notes a bad row's reason; only an unknown stage or loss-reason key is kept.</summary>
    public void Observe(string reason)
    {
        var match = UnknownKey().Match(reason);
        if (!match.Success)
        {
            return;
        }

        var key = (match.Groups["kind"].Value == "stage", match.Groups["key"].Value);
        if (_unknown.TryGetValue(key, out var count))
        {
            _unknown[key] = count + 1;
        }
        else if (_unknown.Count < MaxTracked)
        {
            _unknown[key] = 1;
        }
    }

    /// <summary>Writes one hint per unknown key that has a near match, the most frequent first.</summary>
    public void Write(CliContext context)
    {
        var hints = _unknown
            .Select(u => (u.Key.Stage, u.Key.Key, Rows: u.Value, Near: Suggest(u.Key.Stage, u.Key.Key)))
            .Where(h => h.Near is not null)
            .OrderByDescending(h => h.Rows).ThenBy(h => h.Key, StringComparer.Ordinal)
            .ToList();
        foreach (var (stage, key, rows, near) in hints.Take(MaxShown))
        {
            context.WriteHint(string.Create(
                CultureInfo.InvariantCulture,
                $"{(stage ? "stage" : "loss reason")} '{key}' ({rows:N0} {(rows == 1 ? "row" : "rows")}) is not a {(stage ? "stage" : "loss-reason")} key of '{_definition.Key}'; did you mean {near}? Keys are matched exactly."));
        }

        if (hints.Count > MaxShown)
        {
            context.WriteHint(string.Create(CultureInfo.InvariantCulture, $"... and {hints.Count - MaxShown:N0} more unknown keys with a near match."));
        }
    }

    /// <summary>The defined key <paramref name="key"/> most likely means, quoted, or null.</summary>
    private string? Suggest(bool stage, string key)
    {
        var keys = stage ? _definition.Stages.Select(s => (s.Key.Value, s.DisplayName)) : _definition.LossReasons.Select(r => (r.Key.Value, r.DisplayName));
        var list = keys.ToList();
        if (NearMatch.Find(key, list.Select(k => k.Value)) is { } near)
        {
            return $"'{near}'";
        }

        // An export may carry the display name ("Closed Won") where the log needs the key ("won").
        var byName = list.Where(k => string.Equals(k.DisplayName, key, StringComparison.OrdinalIgnoreCase)).ToList();
        return byName.Count == 1 ? $"'{byName[0].Value}' (display name '{byName[0].DisplayName}')" : null;
    }

    /// <summary>The reason the readers give for an unknown key: <c>'closed won' is neither a stage key of 'b2b' ...</c>.</summary>
    [GeneratedRegex(@"(?:^|: )'(?<key>.*?)' is neither a (?<kind>stage|loss-reason) key of '", RegexOptions.CultureInvariant | RegexOptions.Singleline)]
    private static partial Regex UnknownKey();
}
