// Team: who is in the organisation, pending invitations, and inviting someone (the link is shown to pass on).
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useState } from "react";

import { errorMessage } from "../api";
import { authOf } from "../auth-api";

type InvitableRole = "owner" | "member";
import { StatusBadge } from "../components/badges";
import { ConfirmButton, CopyButton, Empty, ErrorNote, Loading } from "../components/common";
import { formatDateTime } from "../format";
import { useAccount, useApi } from "../session";
import { useTitle } from "../use-title";

export function TeamScreen() {
  useTitle("Team");
  const api = useApi();
  const account = useAccount();
  const queryClient = useQueryClient();
  const auth = authOf(api);
  const myRole = account.organizations.find((org) => org.id === account.currentOrganizationId)?.role;
  // Platform admins may manage any organisation's team, as the server allows.
  const isOwner = myRole === "owner" || account.user.isAdmin;
  const members = useQuery({
    queryKey: ["team", "members"],
    queryFn: () => auth.members.list.query(undefined),
  });
  const invitations = useQuery({
    queryKey: ["team", "invitations"],
    queryFn: () => auth.invitations.list.query(undefined),
    enabled: isOwner,
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["team"] });
  const removeMember = useMutation({
    mutationFn: (userId: string) => auth.members.remove.mutate({ userId }),
    onSuccess: refresh,
  });
  const revokeInvite = useMutation({
    mutationFn: (id: string) => auth.invitations.revoke.mutate({ id }),
    onSuccess: refresh,
  });

  return (
    <section className="team-page" aria-labelledby="team-title">
      <div className="page-head">
        <div>
          <h1 id="team-title">Team</h1>
          <p className="muted">
            Owners manage keys, billing and the team; members work with jobs and projects.
          </p>
        </div>
      </div>
      {isOwner && <InviteForm onInvited={() => void refresh()} />}
      {isOwner && <SlackNotices />}

      <h2 className="section-title">Members</h2>
      {removeMember.error && <ErrorNote error={removeMember.error} />}
      {members.isPending && <Loading label="Loading members…" />}
      {members.error && <ErrorNote error={members.error} onRetry={() => void members.refetch()} />}
      {members.data && (
        <div className="table-wrap card flush">
          <table className="responsive">
            <caption className="sr-only">Members</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Joined</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.map((member) => (
                <tr key={member.userId}>
                  <th scope="row" data-label="Name">
                    {member.name || "—"}
                    {member.userId === account.user.id && <span className="muted"> (you)</span>}
                  </th>
                  <td data-label="Email">{member.email}</td>
                  <td data-label="Role">
                    <StatusBadge status={member.role} />
                  </td>
                  <td data-label="Joined">{formatDateTime(member.joinedAt)}</td>
                  <td className="row-actions">
                    {isOwner && member.userId !== account.user.id && (
                      <ConfirmButton
                        label="Remove"
                        confirmLabel="Remove"
                        question={`Remove ${member.email}?`}
                        busy={removeMember.isPending}
                        onConfirm={() => {
                          removeMember.mutate(member.userId);
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      {isOwner && (
        <>
          <h2 className="section-title">Pending invitations</h2>
          {revokeInvite.error && <ErrorNote error={revokeInvite.error} />}
          {invitations.isPending && <Loading label="Loading invitations…" />}
          {invitations.error && (
            <ErrorNote error={invitations.error} onRetry={() => void invitations.refetch()} />
          )}
          {invitations.data?.length === 0 && <Empty title="No pending invitations" />}
          {invitations.data && invitations.data.length > 0 && (
            <ul className="plain-list card" role="list">
              {invitations.data.map((invite) => (
                <li key={invite.id}>
                  <span className="grow">
                    <strong>{invite.email}</strong> <StatusBadge status={invite.role} />
                    <span className="muted small-text"> · expires {formatDateTime(invite.expiresAt)}</span>
                  </span>
                  <ConfirmButton
                    label="Revoke"
                    confirmLabel="Revoke"
                    question={`Revoke the invitation for ${invite.email}?`}
                    busy={revokeInvite.isPending}
                    onConfirm={() => {
                      revokeInvite.mutate(invite.id);
                    }}
                  />
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}

function InviteForm({ onInvited }: { onInvited: () => void }) {
  const api = useApi();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<InvitableRole>("member");
  const invite = useMutation({
    mutationFn: () => authOf(api).invitations.create.mutate({ email: email.trim(), role }),
    onSuccess() {
      setEmail("");
      onInvited();
    },
  });
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    invite.mutate();
  }
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite someone</h2>
      <div className="form-row">
        <label className="grow">
          Email
          <input
            name="email"
            type="email"
            required
            value={email}
            onChange={(e) => {
              setEmail(e.target.value);
            }}
          />
        </label>
        <label>
          Role
          <select
            value={role}
            onChange={(e) => {
              setRole(e.target.value as InvitableRole);
            }}
          >
            <option value="member">Member</option>
            <option value="owner">Owner</option>
          </select>
        </label>
        <button type="submit" className="primary" disabled={invite.isPending || !email.trim()}>
          {invite.isPending ? "Inviting…" : "Send invitation"}
        </button>
      </div>
      {invite.error && (
        <p className="notice danger" role="alert">
          {errorMessage(invite.error)}
        </p>
      )}
      {invite.data && (
        <div className="notice ok" role="status">
          <p>
            Invitation for <strong>{invite.data.email}</strong> created. Send them this link:
          </p>
          <div className="secret-row">
            <code className="secret-value">{invite.data.acceptUrl}</code>
            <CopyButton text={invite.data.acceptUrl} label="Copy link" />
          </div>
        </div>
      )}
    </form>
  );
}

/** The organisation's Slack incoming webhook: a notice of every new job of a project without its own. */
function SlackNotices() {
  const api = useApi();
  const queryClient = useQueryClient();
  const org = useQuery({ queryKey: ["org", "current"], queryFn: () => api.orgs.current.query() });
  const [url, setUrl] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: (value: string) =>
      api.orgs.update.mutate({ slackWebhookUrl: value.trim() === "" ? null : value.trim() }),
    onSuccess: (updated) => {
      queryClient.setQueryData(["org", "current"], updated);
      setUrl(null);
    },
  });
  const value = url ?? org.data?.slackWebhookUrl ?? "";
  const message = save.error ? errorMessage(save.error) : null;
  const fieldError =
    message && /^slackWebhookUrl: /.test(message) ? message.replace(/^slackWebhookUrl: /, "") : null;
  function submit(event: SyntheticEvent) {
    event.preventDefault();
    save.mutate(value);
  }
  return (
    <form className="card form-card" onSubmit={submit} aria-labelledby="slack-title">
      <h2 id="slack-title">Slack notices</h2>
      <p className="muted">
        Post a notice of each new job to a Slack channel, so testers there hear of work. A project&apos;s own
        URL (on its page) wins over this one.
      </p>
      {org.error && <ErrorNote error={org.error} onRetry={() => void org.refetch()} />}
      <div className={`field${fieldError ? " invalid" : ""}`}>
        <label htmlFor="org-slack-url">Incoming webhook URL</label>
        <input
          id="org-slack-url"
          name="slackWebhookUrl"
          type="url"
          placeholder="https://hooks.slack.com/services/…"
          value={value}
          disabled={org.isPending}
          aria-invalid={fieldError ? true : undefined}
          aria-describedby={fieldError ? "org-slack-url-error" : undefined}
          onChange={(e) => {
            setUrl(e.target.value);
          }}
        />
        {fieldError && (
          <span className="field-error" id="org-slack-url-error">
            Incoming webhook URL {fieldError}
          </span>
        )}
      </div>
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending || org.isPending || url === null}>
          {save.isPending ? "Saving…" : "Save"}
        </button>
        {save.isSuccess && url === null && (
          <span className="muted" role="status">
            Saved.
          </span>
        )}
      </div>
      {message && !fieldError && (
        <p className="notice danger" role="alert">
          {message}
        </p>
      )}
    </form>
  );
}
