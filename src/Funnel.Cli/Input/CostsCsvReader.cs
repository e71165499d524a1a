using Funnel.Core.Metrics;

namespace Funnel.Cli.Input;

/// <summary>
/// Reads the costs CSV of <c>--costs</c> with the library's <see cref="SourceCostTable.ReadCsvFile"/>; a bad file is a
/// data error (exit code 1) with the library's message, which names the file and line.
/// </summary>
internal static class CostsCsvReader
{
    public static SourceCostTable Read(string path)
    {
        InputFile.Require(path, "the costs CSV file");
        try
        {
            return SourceCostTable.ReadCsvFile(path);
        }
        catch (SourceCostFormatException ex)
        {
            throw new CliException(ex.Message, ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"{path}: cannot read the costs file: {ex.Message}", ex);
        }
    }
}
