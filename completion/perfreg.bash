# bash completion for perfreg and for benchmark suites built with perfreg.
#
# Completes commands, each command's options (read from its --help, so they
# cannot drift from the option tables), benchmark names after --filter (from
# the suite's `list`, or in perfreg of the suites of perfreg.json), baseline
# names after --baseline and for save-baseline (from baselines/, or the
# folder given with --baselines), files after --config, and the values of
# --format and --stat, and of import's --from and --gbench-time.
#
# perfreg's own program is set up below. A suite executable takes the same
# commands; to complete one, add to ~/.bashrc:
#     complete -F _perfreg ./build/bench/mybench mybench

# _perfreg_baselines DIR: the names of the baselines in DIR.
_perfreg_baselines()
{
    local f
    for f in "${1:-baselines}"/*.json; do
        [[ -e $f ]] || continue
        f=${f##*/}
        printf '%s\n' "${f%.json}"
    done
}

_perfreg()
{
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local prog=${COMP_WORDS[0]} cmd="" suite="" baselines="" w i
    local commands="run list compare save-baseline history import help version"

    # The command, the suite given by path (perfreg run ./mybench) and
    # the baselines folder, from the words before the cursor.
    for ((i = 1; i < COMP_CWORD; i++)); do
        w=${COMP_WORDS[i]}
        case $w in
        --baselines) baselines=${COMP_WORDS[i + 1]} ;;
        -*) ;;
        *)
            if [[ -z $cmd ]]; then
                cmd=$w
            elif [[ -z $suite && -f $w && -x $w ]]; then
                suite=$w
            fi
            ;;
        esac
    done
    if [[ -z $cmd ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur")
        return
    fi

    case $prev in
    -f | --filter)
        # the benchmarks of the suite given, else of the program itself
        mapfile -t COMPREPLY < <(compgen -W "$("${suite:-$prog}" list 2>/dev/null)" -- "$cur")
        return
        ;;
    --baseline)
        mapfile -t COMPREPLY < <(compgen -W "$(_perfreg_baselines "$baselines")" -- "$cur")
        mapfile -t -O "${#COMPREPLY[@]}" COMPREPLY < <(compgen -f -X '!*.json' -- "$cur")
        return
        ;;
    --format)
        case $cmd in
        history) w="text json csv markdown html" ;;
        run) w="text gbench" ;;
        *) w="text json markdown csv gbench" ;; # compare
        esac
        mapfile -t COMPREPLY < <(compgen -W "$w" -- "$cur")
        return
        ;;
    --stat)
        mapfile -t COMPREPLY < <(compgen -W "mean median min max stddev iqr ops memory allocs" -- "$cur")
        return
        ;;
    --from)
        # import takes a format; save-baseline a results file
        if [[ $cmd == import ]]; then
            mapfile -t COMPREPLY < <(compgen -W "gbench pytest hyperfine" -- "$cur")
        else
            mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        fi
        return
        ;;
    --gbench-time)
        mapfile -t COMPREPLY < <(compgen -W "real cpu" -- "$cur")
        return
        ;;
    --store | --baselines)
        mapfile -t COMPREPLY < <(compgen -d -- "$cur")
        return
        ;;
    --results | --json | -o | --output | --config)
        mapfile -t COMPREPLY < <(compgen -f -- "$cur")
        return
        ;;
    esac

    if [[ $cur == -* ]]; then
        mapfile -t COMPREPLY < <(compgen -W "$("$prog" "$cmd" --help 2>/dev/null |
            grep -o -- '--[a-z][a-z-]*' | sort -u)" -- "$cur")
        return
    fi
    case $cmd in
    help) mapfile -t COMPREPLY < <(compgen -W "$commands" -- "$cur") ;;
    version) COMPREPLY=() ;;
    save-baseline)
        mapfile -t COMPREPLY < <(compgen -W "$(_perfreg_baselines "$baselines")" -- "$cur")
        ;;
    *) mapfile -t COMPREPLY < <(compgen -f -- "$cur") ;; # a suite executable, results files
    esac
}

complete -F _perfreg perfreg
