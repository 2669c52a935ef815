"""`vigil user add|passwd|rm|list`: the web desk's accounts."""

from __future__ import annotations

import secrets
import sys
from typing import Annotated

import typer

from vigil.cli.common import WorkspaceOpt, console, open_ws

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


@app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The user name people sign in with.")],
    role: RoleOpt = "editor",
    password_stdin: StdinOpt = False,
    generate: GenerateOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Add an account."""
    from vigil.web.users import UserError, add_user

    ws = open_ws(workspace)
    password, show = _password(password_stdin, generate)
    try:
        add_user(ws, name, role, password, _by())
    except UserError as exc:
        raise _fail(str(exc)) from exc
    finally:
        ws.close()
    console().print(f"added {name} ({role})" + (f"; password: {password}" if show else ""), markup=False)


@app.command("passwd")
def passwd(
    name: Annotated[str, typer.Argument(help="The account.")],
    password_stdin: StdinOpt = False,
    generate: GenerateOpt = False,
    workspace: WorkspaceOpt = None,
) -> None:
    """Change an account's password (its sessions end)."""
    from vigil.web.users import UserError, set_password

    ws = open_ws(workspace)
    password, show = _password(password_stdin, generate)
    try:
        set_password(ws, name, password, _by())
    except UserError as exc:
        raise _fail(str(exc)) from exc
    finally:
        ws.close()
    console().print(f"password of {name} changed" + (f": {password}" if show else ""), markup=False)


@app.command("rm")
def rm(name: Annotated[str, typer.Argument(help="The account.")], workspace: WorkspaceOpt = None) -> None:
    """Remove an account (what it did stays in the audit log)."""
    from vigil.web.users import UserError, remove_user

    ws = open_ws(workspace)
    try:
        remove_user(ws, name, _by())
    except UserError as exc:
        raise _fail(str(exc)) from exc
    finally:
        ws.close()
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
