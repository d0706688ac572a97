// The tester's profile: alias, country, languages, equipment and interests, which decide the jobs they are offered.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type SyntheticEvent, useEffect, useState } from "react";

import { errorMessage, type Profile } from "../api";
import { useSignedIn } from "../api-context";

export function ProfileScreen() {
  const { api } = useSignedIn();
  const profile = useQuery({ queryKey: ["profile"], queryFn: () => api.tester.profile.get.query() });
  const equipment = useQuery({
    queryKey: ["catalog", "equipment"],
    queryFn: () => api.catalogs.list.query({ kind: "equipment", limit: 100 }),
  });
  const interests = useQuery({
    queryKey: ["catalog", "interests"],
    queryFn: () => api.catalogs.list.query({ kind: "interests", limit: 100 }),
  });
  if (profile.isPending) return <p className="muted">Loading your profile…</p>;
  if (profile.error)
    return (
      <p className="error" role="alert">
        {errorMessage(profile.error)}
      </p>
    );
  return (
    <ProfileForm
      profile={profile.data}
      equipment={equipment.data?.data ?? []}
      interests={interests.data?.data ?? []}
    />
  );
}

interface CatalogEntry {
  slug: string;
  name: string;
}

function ProfileForm({
  profile,
  equipment,
  interests,
}: {
  profile: Profile;
  equipment: CatalogEntry[];
  interests: CatalogEntry[];
}) {
  const { api } = useSignedIn();
  const queryClient = useQueryClient();
  const [alias, setAlias] = useState(profile.alias);
  const [country, setCountry] = useState(profile.country ?? "");
  const [languages, setLanguages] = useState(profile.languages.join(", "));
  const [equipmentSlugs, setEquipment] = useState(() => new Set(profile.equipment.map((e) => e.slug)));
  const [interestSlugs, setInterests] = useState(() => new Set(profile.interests.map((i) => i.slug)));
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api.tester.profile.update.mutate({
        alias: alias.trim(),
        country: country.trim() === "" ? null : country.trim(),
        languages: languages
          .split(",")
          .map((l) => l.trim())
          .filter((l) => l !== ""),
        equipmentSlugs: [...equipmentSlugs],
        interestSlugs: [...interestSlugs],
      }),
    onSuccess: (next) => {
      queryClient.setQueryData(["profile"], next);
      void queryClient.invalidateQueries({ queryKey: ["feed"] });
      setSaved(true);
    },
  });
  useEffect(() => {
    setSaved(false);
  }, [alias, country, languages, equipmentSlugs, interestSlugs]);

  function submit(event: SyntheticEvent) {
    event.preventDefault();
    save.mutate();
  }

  return (
    <form className="card profile" onSubmit={submit} aria-labelledby="profile-title">
      <h1 id="profile-title">Your profile</h1>
      <p className="muted">
        {profile.name} · {profile.email}
      </p>
      <label>
        Alias (what owners see)
        <input
          value={alias}
          onChange={(event) => {
            setAlias(event.target.value);
          }}
          required
          maxLength={50}
        />
      </label>
      <label>
        Country (two letters, such as US)
        <input
          value={country}
          onChange={(event) => {
            setCountry(event.target.value);
          }}
          maxLength={2}
        />
      </label>
      <label>
        Languages (comma-separated codes, such as en, pt-BR)
        <input
          value={languages}
          onChange={(event) => {
            setLanguages(event.target.value);
          }}
        />
      </label>
      <Chips legend="Equipment" options={equipment} selected={equipmentSlugs} onChange={setEquipment} />
      <Chips legend="Interests" options={interests} selected={interestSlugs} onChange={setInterests} />
      {save.error && (
        <p className="error" role="alert">
          {errorMessage(save.error)}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="primary" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save profile"}
        </button>
        {saved && (
          <span className="ok" role="status">
            Saved
          </span>
        )}
      </div>
    </form>
  );
}

function Chips({
  legend,
  options,
  selected,
  onChange,
}: {
  legend: string;
  options: CatalogEntry[];
  selected: Set<string>;
  onChange: (next: Set<string>) => void;
}) {
  return (
    <fieldset className="chips">
      <legend>{legend}</legend>
      {options.length === 0 && <span className="muted">None in the catalog yet.</span>}
      {options.map((option) => (
        <label key={option.slug} className={`chip${selected.has(option.slug) ? " on" : ""}`}>
          <input
            type="checkbox"
            checked={selected.has(option.slug)}
            onChange={(event) => {
              const next = new Set(selected);
              if (event.target.checked) next.add(option.slug);
              else next.delete(option.slug);
              onChange(next);
            }}
          />
          {option.name}
        </label>
      ))}
    </fieldset>
  );
}
