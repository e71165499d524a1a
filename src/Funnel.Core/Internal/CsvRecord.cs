namespace Funnel.Core.Internal;

/// <summary>Splits one CSV line into fields (RFC 4180 quoting within a line; a quoted field may not span lines).</summary>
internal static class CsvRecord
{
    /// <summary>Splits a line into <paramref name="fields"/> (cleared first).</summary>
    /// <returns>null when the line is well formed, otherwise what is wrong.</returns>
    public static string? Split(string line, List<string> fields)
    {
        fields.Clear();
        var i = 0;
        while (true)
        {
            if (i < line.Length && line[i] == '"')
            {
                var sb = new System.Text.StringBuilder();
                i++;
                while (true)
                {
                    if (i >= line.Length)
                    {
                        return "a quoted field is not closed (quoted fields may not span lines)";
                    }

                    if (line[i] == '"')
                    {
                        if (i + 1 < line.Length && line[i + 1] == '"')
                        {
                            sb.Append('"');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    sb.Append(line[i]);
                    i++;
                }

                fields.Add(sb.ToString());
                if (i == line.Length)
                {
                    return null;
                }

                if (line[i] != ',')
                {
                    return $"unexpected character '{line[i]}' after a quoted field";
                }

                i++;
            }
            else
            {
                var comma = line.IndexOf(',', i);
                if (comma < 0)
                {
                    fields.Add(line[i..].Trim());
                    return null;
                }

                fields.Add(line[i..comma].Trim());
                i = comma + 1;
            }
        }
    }
}
