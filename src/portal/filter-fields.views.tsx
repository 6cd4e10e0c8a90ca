import type { Agency } from '../agencies/agency.ts'
import { genres } from '../disclosures/disclosure.ts'

// The catalogue, the agency catalogue and search filter published items the same ways.

export function AgencyFilter(props: { agencies: readonly Agency[]; selected: number | undefined }) {
  return (
    <div class="field">
      <label for="f-agency">机关</label>
      <select id="f-agency" name="agency">
        <option value="">全部机关</option>
        {props.agencies.map((a) => (
          <option value={String(a.id)} selected={a.id === props.selected}>
            {a.name}
          </option>
        ))}
      </select>
    </div>
  )
}

/** The genre and publication-year fields every item filter has. */
export function GenreAndYearFilters(props: { genre: string | undefined; year: number | undefined }) {
  return (
    <>
      <div class="field">
        <label for="f-genre">体裁</label>
        <select id="f-genre" name="genre">
          <option value="">全部</option>
          {genres.map((g) => (
            <option value={g} selected={g === props.genre}>
              {g}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="f-year">发布年份</label>
        <input id="f-year" name="year" inputMode="numeric" value={props.year ? String(props.year) : ''} />
      </div>
    </>
  )
}
