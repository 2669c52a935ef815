"""`vigil user add|passwd|rm|list`: the web desk's accounts."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws

if TYPE_CHECKING:
    from vigil.store.engine import Workspace

app = typer.Typer(help="Accounts of the web desk (`vigil serve`): admin, editor or viewer.", no_args_is_help=True)

RoleOpt = Annotated[str, typer.Option("--role", help="admin, editor (changes labels, voices) or viewer (reads).")]
StdinOpt = Annotated[bool, typer.Option("--password-stdin", help="Read the password from the first line of stdin.")]
GenerateOpt = Annotated[bool, typer.Option("--generate", help="Make a random password and print it.")]


def _fail(message: str) -> typer.Exit:
    console(stderr=True).print(f"error: {message}", markup=False, soft_wrap=True)
    return typer.Exit(2)


def _password(from_stdin: bool, generate: bool) -> tuple[str, bool]:
    """The new password (and whether to print it): generated, from stdin, or typed twice."""
    if generate:
        return secrets.token_urlsafe(12), True
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n"), False
    return typer.prompt("Password", hide_input=True, confirmation_prompt=True), False


def _by() -> str:
    from vigil.models.labels import current_user

    return current_user()


@contextmanager
def _changing(workspace: WorkspaceOpt) -> Iterator[Workspace]:
    """The workspace for one account change: a refused change is one error line, and the workspace is closed."""
    from vigil.web.users import UserError

    ws = open_ws(workspace)
    try:
        yield ws
    except UserError as exc:
        raise _fail(str(exc)) from exc
    finally:
        ws.close()


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user name people sign in with.")],
    role: RoleOpt = "editor",
    password_stdin: StdinOpt = False,
    generate: GenerateOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add an account."""
    from vigil.web.users import add_user

    with _changing(workspace) as ws:
        password, show = _password(password_stdin, generate)
        add_user(ws, name, role, password, _by())
    console().print(f"added {name} ({role})" + (f"; password: {password}" if show else ""), markup=False)


@app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: StdinOpt = False,
    generate: GenerateOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Change an account's password (its sessions end)."""
    from vigil.web.users import set_password

    with _changing(workspace) as ws:
        password, show = _password(password_stdin, generate)
        set_password(ws, name, password, _by())
    console().print(f"password of {name} changed" + (f": {password}" if show else ""), markup=False)


@app.command("rm")
def rm(name: Annotated[str, typer.Argument(help="The account.")], workspace: WorkspaceOpt = None) -> None:
    """Remove an account (what it did stays in the audit log)."""
    from vigil.web.users import remove_user

    with _changing(workspace) as ws:
        remove_user(ws, name, _by())
    console().print(f"removed {name}", markup=False)


@app.command("list")
def list_(workspace: WorkspaceOpt = None) -> None:
    """List the accounts and their roles."""
    from vigil.web.users import list_users

    ws = open_ws(workspace)
    with ws.engine.connect() as conn:
        for u in list_users(conn):
            console().print(f"{u.name}\t{u.role}", markup=False)
    ws.close()
