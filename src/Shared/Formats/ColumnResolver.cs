using Funnel.Core.Bulk;

namespace Funnel.Formats;

/// <summary>
/// Finds the mapped columns among a file's top-level columns, the way the CSV reader maps its header: by name, an
/// exact match first, else the one column whose name matches ignoring case. Every problem with the schema (a
/// missing required column, an ambiguous name, a column of a type that cannot hold its values) is collected and
/// thrown at once as one <see cref="TransitionLogFormatException"/> that names the file and the columns.
/// </summary>
internal sealed class ColumnResolver
{
    private readonly string _source;
    private readonly IReadOnlyList<(string Name, string Type)> _columns;
    private readonly List<string> _problems = [];

    public ColumnResolver(string source, IReadOnlyList<(string Name, string Type)> columns)
    {
        _source = source;
        _columns = columns;
    }

    /// <summary>
    /// Returns the index of the column of the first of <paramref name="names"/> (a name, then its alternatives) that
    /// the file has, and that name; -1 when none is there (recorded as a problem when required).
    /// </summary>
    public int Find(IReadOnlyList<string> names, bool required, out string matched)
    {
        foreach (var name in names)
        {
            var index = Find(name, out var ambiguous);
            if (index >= 0 || ambiguous)
            {
                matched = name;
                return index;
            }
        }

        matched = names[0];
        if (required)
        {
            _problems.Add(names.Count == 1
                ? $"the required column '{names[0]}' is missing"
                : $"the required column '{names[0]}' (or {string.Join(", ", names.Skip(1).Select(n => $"'{n}'"))}) is missing");
        }

        return -1;
    }

    /// <summary>Gets the name of a column as the file spells it.</summary>
    public string NameAt(int index) => _columns[index].Name;

    private int Find(string name, out bool ambiguous)
    {
        ambiguous = false;
        for (var i = 0; i < _columns.Count; i++)
        {
            if (string.Equals(_columns[i].Name, name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        var found = -1;
        for (var i = 0; i < _columns.Count; i++)
        {
            if (string.Equals(_columns[i].Name, name, StringComparison.OrdinalIgnoreCase))
            {
                if (found >= 0)
                {
                    _problems.Add($"the column name '{name}' matches both '{_columns[found].Name}' and '{_columns[i].Name}' ignoring case, and neither exactly");
                    ambiguous = true;
                    return -1;
                }

                found = i;
            }
        }

        return found;
    }

    /// <summary>Records that a found column has a type that cannot hold its values.</summary>
    public void Unsupported(int index, string role, string expected) =>
        _problems.Add($"the {role} column '{_columns[index].Name}' has the type {_columns[index].Type}; expected {expected}");

    /// <summary>Throws one exception listing every problem recorded, if any.</summary>
    public void ThrowIfProblems(string format)
    {
        if (_problems.Count == 0)
        {
            return;
        }

        var found = _columns.Count == 0 ? "none" : string.Join(", ", _columns.Select(c => $"{c.Name} ({c.Type})"));
        throw new TransitionLogFormatException($"The {format} file {_source} cannot be read as a transition log: {string.Join("; ", _problems)}. Columns found: {found}.");
    }
}
