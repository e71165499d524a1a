using System.Text;

namespace Funnel.Core.Bulk;

/// <summary>What every chunk of a CSV file shares: the header, the delimiter byte, the field rules and the stage and loss-reason keys as UTF-8.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
internal sealed class CsvFileLayout
{
    private readonly byte[][] _stageKeys;
    private readonly byte[][] _reasonKeys;

    public CsvFileLayout(CsvHeader header, TransitionLogCsvOptions options, CsvFieldParser fields)
    {
        Header = header;
        Delimiter = (byte)options.Delimiter;
        MaxRowLength = options.MaxRowLength;
        Fields = fields;
        _stageKeys = fields.StageKeys.Select(Encoding.UTF8.GetBytes).ToArray();
        _reasonKeys = fields.ReasonKeys.Select(Encoding.UTF8.GetBytes).ToArray();
    }

    public CsvHeader Header { get; }

    public byte Delimiter { get; }

    public int MaxRowLength { get; }

    public CsvFieldParser Fields { get; }

    /// <summary>The ordinal of the stage whose key is exactly <paramref name="text"/>, or -1.</summary>
    public int FindStage(ReadOnlySpan<byte> text) => Find(_stageKeys, text);

    /// <summary>The ordinal of the loss reason whose key is exactly <paramref name="text"/>, or -1.</summary>
    public int FindReason(ReadOnlySpan<byte> text) => Find(_reasonKeys, text);

    private static int Find(byte[][] keys, ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            var key = keys[i];
            if (key.Length == text.Length && text.SequenceEqual(key))
            {
                return i;
            }
        }

        return -1;
    }
}
