using Funnel.Core;
using Funnel.Core.Bulk;

namespace Funnel.Cli.Input;

/// <summary>The binary columnar event log format (<c>.bin</c>), read and written through Funnel.Core.Bulk.</summary>
internal static class BinaryEventLog
{
    private const string Missing = "binary event logs (.bin) are not supported by this build: the binary columnar format of Funnel.Core.Bulk is not available yet. Use a .csv file.";

    public static EventLogData Read(string path, FunnelDefinition definition)
    {
        _ = definition;
        throw new CliException($"{path}: {Missing}");
    }

    public static void Write(string path, TransitionLog log)
    {
        _ = log;
        throw new CliException($"{path}: {Missing}");
    }
}
