"""What the plot scripts read, checked before anything is drawn or written: given a folder or file
that is not what it reads, a script ends with one line on stderr and exit status 2, not a traceback.
"""
import os
import sys

import pandas as pd


class NotInput(Exception):
    """The script was given something it does not read; the message says what, in one line."""


def script(main):
    """Runs an entry point's main(args) on the command line's arguments: a NotInput ends it with
    the script's name and the message on stderr, and exit status 2."""
    try:
        main(sys.argv[1:])
    except NotInput as e:
        print(f"{os.path.basename(sys.argv[0])}: {e}", file=sys.stderr)
        sys.exit(2)


def usage(doc):
    """Ends a script called the wrong way: its usage on stderr, exit status 2."""
    print(doc.strip(), file=sys.stderr)
    sys.exit(2)


def first_line(error):
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def folder_with(folder, file, what):
    """`folder`/`file`, where `folder` is a folder holding it; otherwise NotInput saying `what` to give."""
    if not os.path.isdir(folder):
        raise NotInput(f"{folder} is not a folder: give {what}")
    path = os.path.join(folder, file)
    if not os.path.isfile(path):
        raise NotInput(f"{folder} has no {file}: give {what}")
    return path


def read_csv(path, columns, what, **options):
    """A CSV table that sendplan wrote, with `columns` among its columns; otherwise (a folder, no
    file, an empty file, not CSV, a column missing) NotInput saying `what` to give."""
    if os.path.isdir(path):
        raise NotInput(f"{path} is a folder, not a file: give {what}")
    if not os.path.isfile(path):
        raise NotInput(f"{path} not found: give {what}")
    try:
        table = pd.read_csv(path, **options)
    except pd.errors.EmptyDataError:
        raise NotInput(f"{path} is empty: give {what}") from None
    except (pd.errors.ParserError, UnicodeDecodeError) as e:
        raise NotInput(f"{path} is not a readable CSV ({first_line(e)}): give {what}") from None
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise NotInput(f"{path} has no column{'s' if len(missing) > 1 else ''} {', '.join(missing)}: give {what}")
    return table
