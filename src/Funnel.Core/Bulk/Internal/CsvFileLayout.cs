using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>What every chunk of a CSV file shares: the header, the delimiter byte, the field rules and the stage and loss-reason keys as UTF-8.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
internal sealed class CsvFileLayout
{
    private readonly Utf8KeyIndex _stageKeys;
    private readonly Utf8KeyIndex _reasonKeys;

    public CsvFileLayout(CsvHeader header, TransitionLogCsvOptions options, CsvFieldParser fields)
    {
        Header = header;
        Delimiter = (byte)options.Delimiter;
        MaxRowLength = options.MaxRowLength;
        Fields = fields;
        _stageKeys = new Utf8KeyIndex([.. fields.StageKeys.Select(Encoding.UTF8.GetBytes)]);
        _reasonKeys = new Utf8KeyIndex([.. fields.ReasonKeys.Select(Encoding.UTF8.GetBytes)]);
    }

    public CsvHeader Header { get; }

    public byte Delimiter { get; }

    public int MaxRowLength { get; }

    public CsvFieldParser Fields { get; }

    /// <summary>The ordinal of the stage whose key is exactly <paramref name="text"/>, or -1.</summary>
    public int FindStage(ReadOnlySpan<byte> text) => _stageKeys.Find(text);

    /// <summary>The ordinal of the loss reason whose key is exactly <paramref name="text"/>, or -1.</summary>
    public int FindReason(ReadOnlySpan<byte> text) => _reasonKeys.Find(text);
}
