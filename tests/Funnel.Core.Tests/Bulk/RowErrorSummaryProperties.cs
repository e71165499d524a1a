using System.Globalization;
using System.Text;
using FsCheck.Xunit;
using Funnel.Core.Bulk;

namespace Funnel.Core.Tests.Bulk;

/// <summary>
/// The summaries of a read's bad rows (<see cref="TransitionLogCsvResult.ErrorCountsByColumn"/>,
/// <see cref="TransitionLogCsvResult.UnknownKeys"/>) cover every rejected row, for generated logs that mix good rows
/// with every kind of bad row a CSV can have, read by the streaming reader and the file fast path alike.
/// </summary>
public sealed class RowErrorSummaryProperties
{
    private static readonly FunnelDefinition Aida = FunnelTemplates.Aida;

    private static readonly string[] StagePool = ["Interest", "atention", "nowhere", "ATTENTION", "Desire (added to cart)", "9"];

    private static readonly string[] ReasonPool = ["Price", "Abandoned Cart", "nope", "99", "price too high"];

    [Property(MaxTest = 200)]
    public void Read_AnyMixOfRows_SummariesAddUpToTheRejectedRows(byte[] codes)
    {
        var csv = new StringBuilder("entity,stage,timestamp,loss_reason\n");
        var kinds = new List<RowErrorKind>();
        var unknown = new Dictionary<(RowErrorKind, string), long>();
        for (var i = 0; i < codes.Length; i++)
        {
            var code = codes[i];
            var stageKey = StagePool[code / 8 % StagePool.Length];
            var reasonKey = ReasonPool[code / 8 % ReasonPool.Length];
            switch (code % 8)
            {
                case 0 or 1:
                    csv.Append(CultureInfo.InvariantCulture, $"lead-{i},attention,{i},\n");
                    break;
                case 2:
                    csv.Append(CultureInfo.InvariantCulture, $"lead-{i},{stageKey},{i},\n");
                    Expect(RowErrorKind.UnknownStage, stageKey);
                    break;
                case 3:
                    csv.Append(CultureInfo.InvariantCulture, $"lead-{i},interest,{i},{reasonKey}\n");
                    Expect(RowErrorKind.UnknownLossReason, reasonKey);
                    break;
                case 4:
                    csv.Append(CultureInfo.InvariantCulture, $"lead-{i},interest,{(code % 16 == 4 ? "1767225600000" : "26-02-2018 19:58")},\n");
                    Expect(code % 16 == 4 ? RowErrorKind.TimestampOutOfRange : RowErrorKind.InvalidTimestamp, null);
                    break;
                case 5:
                    csv.Append(CultureInfo.InvariantCulture, $",interest,{i},\n");
                    Expect(RowErrorKind.MissingValue, null);
                    break;
                case 6:
                    csv.Append(code % 16 == 6 ? string.Create(CultureInfo.InvariantCulture, $"lead-{i},interest\n") : string.Create(CultureInfo.InvariantCulture, $"lead-{i},interest,{i},,extra\n"));
                    Expect(RowErrorKind.FieldCount, null);
                    break;
                default:
                    csv.Append('\n');
                    Expect(RowErrorKind.EmptyLine, null);
                    break;
            }
        }

        var text = csv.ToString();
        var result = TransitionLogCsvReader.Read(new StringReader(text), Aida);

        Assert.Equal(kinds, result.Errors.Select(e => e.Kind));
        Assert.Equal(result.RowsRejected, result.ErrorCountsByColumn.Sum(c => c.Rows));
        Assert.Equal(result.Errors.Count(e => e.Kind is RowErrorKind.UnknownStage or RowErrorKind.UnknownLossReason), result.UnknownKeys.Sum(u => u.Rows));
        Assert.Equal(
            unknown.OrderBy(u => u.Key.Item1).ThenBy(u => u.Key.Item2, StringComparer.Ordinal),
            result.UnknownKeys.ToDictionary(u => (u.Kind, u.Key), u => u.Rows).OrderBy(u => u.Key.Kind).ThenBy(u => u.Key.Key, StringComparer.Ordinal));
        Assert.True(result.UnknownKeys.Select(u => u.Rows).SequenceEqual(result.UnknownKeys.Select(u => u.Rows).OrderDescending()), "most frequent first");
        Assert.Equal(CsvFastPath.Describe(result), CsvFastPath.Describe(CsvFastPath.ReadBytes(Encoding.UTF8.GetBytes(text), Aida, null, chunkBytes: 7, bufferBytes: 16)));

        void Expect(RowErrorKind kind, string? key)
        {
            kinds.Add(kind);
            if (key is not null)
            {
                unknown[(kind, key)] = unknown.GetValueOrDefault((kind, key)) + 1;
            }
        }
    }
}
