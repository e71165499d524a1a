namespace Funnel.Cli.Input;

/// <summary>Checks an input path before it is read, so that a directory or a missing file is named as such.</summary>
internal static class InputFile
{
    /// <summary>Requires <paramref name="path"/> to be an existing file.</summary>
    /// <param name="path">The path as given on the command line.</param>
    /// <param name="what">What the file is for the message, such as "the event log"; null for no mention.</param>
    /// <exception cref="CliException">The path is a directory or does not exist (exit code 1).</exception>
    public static void Require(string path, string? what = null)
    {
        if (Directory.Exists(path))
        {
            throw new CliException($"{path}: is a directory, not a file{(what is null ? "" : $"; give {what}")}.");
        }

        if (!File.Exists(path))
        {
            throw new CliException($"{path}: file not found.");
        }
    }
}
